package io.rge.core;

/**
 * Finds NaN and infinite values: a checkpoint or an embedding holding one is broken, and must be
 * refused where it enters (a load, a cache, a report) rather than spread as NaN scores.
 */
public final class NonFinite {
  private NonFinite() {}

  /** The index of the first NaN or infinite value, or -1 when every value is finite. */
  public static int firstIndex(float[] values) {
    for (int i = 0; i < values.length; i++) {
      if (!Float.isFinite(values[i])) {
        return i;
      }
    }
    return -1;
  }

  /** "NaN at index 7 of 4096 values", for messages about {@code values[index]}. */
  public static String describe(float[] values, int index) {
    return values[index] + " at index " + index + " of " + values.length + " values";
  }
}
