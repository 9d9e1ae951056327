package io.rge.core;

import ai.djl.ndarray.NDArray;

/**
 * L2 normalisation and cosine similarity of embeddings, in one place for the model, training and
 * evaluation. Host-side sums accumulate in double; device-side normalisation is one op pair.
 */
public final class Cosine {
  private static final int[] ROW_AXIS = {1};

  private Cosine() {}

  /** Each row divided by its L2 norm: {@code [N, H] → [N, H]}; differentiable. */
  public static NDArray normaliseRows(NDArray rows) {
    return rows.div(rows.norm(ROW_AXIS, true));
  }

  /** {@code values[offset, offset + width)} divided by its L2 norm (computed in double). */
  public static float[] normalised(float[] values, int offset, int width) {
    double sum = 0;
    for (int i = 0; i < width; i++) {
      sum += (double) values[offset + i] * values[offset + i];
    }
    double norm = Math.sqrt(sum);
    float[] out = new float[width];
    for (int i = 0; i < width; i++) {
      out[i] = (float) (values[offset + i] / norm);
    }
    return out;
  }

  /** The Euclidean norm, accumulated in double. */
  public static double norm(float[] v) {
    double sum = 0;
    for (float x : v) {
      sum += (double) x * x;
    }
    return Math.sqrt(sum);
  }

  /** {@code a·b / (|a| |b|)}; 0 when either vector is zero. */
  public static double similarity(float[] a, float[] b) {
    return similarity(a, norm(a), b, norm(b));
  }

  /**
   * {@code a·b / (|a| |b|)} given both norms (a dataset scores every query against up to a thousand
   * candidates, and each candidate's norm is shared by many rows); 0 when either norm is zero.
   */
  public static double similarity(float[] a, double normA, float[] b, double normB) {
    if (a.length != b.length) {
      throw new IllegalArgumentException(
          "vectors of different sizes: " + a.length + " and " + b.length);
    }
    if (normA == 0 || normB == 0) {
      return 0;
    }
    double dot = 0;
    for (int i = 0; i < a.length; i++) {
      dot += (double) a[i] * b[i];
    }
    return dot / (normA * normB);
  }
}
