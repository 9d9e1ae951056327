package io.rge.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Element-wise comparisons of float vectors, shared by the model tests. */
public final class FloatAsserts {
  private FloatAsserts() {}

  /** Same length and every element within {@code tolerance} (absolute). */
  public static void assertClose(String what, float[] expected, float[] got, double tolerance) {
    assertEquals(expected.length, got.length, what + " size");
    double max = 0;
    for (int i = 0; i < got.length; i++) {
      max = Math.max(max, Math.abs(got[i] - expected[i]));
    }
    assertTrue(max < tolerance, what + ": max abs error " + max);
  }

  public static void assertClose(float[] expected, float[] got, double tolerance) {
    assertClose("vector", expected, got, tolerance);
  }

  /** The Euclidean norm, accumulated in double. */
  public static double norm(float[] v) {
    double s = 0;
    for (float x : v) {
      s += (double) x * x;
    }
    return Math.sqrt(s);
  }
}
