package io.rge.training.parity;

/**
 * One compared tensor.
 *
 * @param name {@code case.tensor}
 * @param maxAbs the largest absolute difference (for token sequences: mismatching positions); NaN
 *     when the tensors could not be compared
 * @param relative {@code ‖actual − expected‖ / ‖expected‖}; NaN when not comparable
 * @param tolerance what the row must meet
 * @param note why the row could not be compared (shape mismatch, failed case), or empty
 */
record ParityRow(String name, double maxAbs, double relative, Tolerance tolerance, String note) {

  boolean passed() {
    return note.isEmpty() && tolerance.accepts(maxAbs, relative);
  }

  /** A row for something that could not be computed or compared. */
  static ParityRow failed(String name, Tolerance tolerance, String why) {
    return new ParityRow(name, Double.NaN, Double.NaN, tolerance, why);
  }

  /** Compares float tensors element by element (flattened, same element count). */
  static ParityRow compare(String name, float[] expected, float[] actual, Tolerance tolerance) {
    if (expected.length != actual.length) {
      return failed(
          name, tolerance, "size " + actual.length + ", expected " + expected.length + " values");
    }
    double max = 0;
    double diff = 0;
    double ref = 0;
    for (int i = 0; i < expected.length; i++) {
      double d = (double) actual[i] - expected[i];
      max = Math.max(max, Math.abs(d));
      diff += d * d;
      ref += (double) expected[i] * expected[i];
      if (Double.isNaN(d)) {
        return new ParityRow(name, Double.NaN, Double.NaN, tolerance, "NaN at element " + i);
      }
    }
    return new ParityRow(name, max, relative(diff, ref), tolerance, "");
  }

  /** Compares one scalar. */
  static ParityRow compare(String name, double expected, double actual, Tolerance tolerance) {
    double d = actual - expected;
    if (Double.isNaN(d)) {
      return new ParityRow(name, Double.NaN, Double.NaN, tolerance, "NaN");
    }
    return new ParityRow(name, Math.abs(d), relative(d * d, expected * expected), tolerance, "");
  }

  /** Compares integer tensors; the absolute error is the largest difference of values. */
  static ParityRow compare(String name, long[] expected, long[] actual) {
    if (expected.length != actual.length) {
      return failed(
          name, Tolerance.exact(), "length " + actual.length + ", expected " + expected.length);
    }
    double max = 0;
    double diff = 0;
    double ref = 0;
    for (int i = 0; i < expected.length; i++) {
      double d = (double) actual[i] - expected[i];
      max = Math.max(max, Math.abs(d));
      diff += d * d;
      ref += (double) expected[i] * expected[i];
    }
    return new ParityRow(name, max, relative(diff, ref), Tolerance.exact(), "");
  }

  /**
   * Compares token sequences; the absolute error counts the positions that differ (a length
   * difference counts every missing or extra position), the relative error divides it by the
   * expected length.
   */
  static ParityRow compareTokens(String name, int[] expected, int[] actual) {
    int mismatches = Math.abs(expected.length - actual.length);
    for (int i = 0; i < Math.min(expected.length, actual.length); i++) {
      mismatches += expected[i] == actual[i] ? 0 : 1;
    }
    return new ParityRow(
        name,
        mismatches,
        expected.length == 0 ? mismatches : (double) mismatches / expected.length,
        Tolerance.exact(),
        "");
  }

  /**
   * A token check that counted {@code mismatches} wrong positions among {@code compared} (exact:
   * none allowed), as {@link #compareTokens} reports them.
   */
  static ParityRow tokenMismatches(String name, int mismatches, int compared) {
    return new ParityRow(
        name,
        mismatches,
        compared == 0 ? mismatches : (double) mismatches / compared,
        Tolerance.exact(),
        "");
  }

  private static double relative(double squaredDiff, double squaredRef) {
    if (squaredRef == 0) {
      return squaredDiff == 0 ? 0 : Double.POSITIVE_INFINITY;
    }
    return Math.sqrt(squaredDiff / squaredRef);
  }
}
