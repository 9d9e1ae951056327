package io.rge.eval.score;

/**
 * Cosine similarity with norms computed once per vector: a dataset scores every query against up to
 * a thousand candidates, and each candidate's norm is shared by many rows.
 */
public final class CosineScores {
  private CosineScores() {}

  /** The Euclidean norm, accumulated in double. */
  public static double norm(float[] v) {
    double sum = 0;
    for (float x : v) {
      sum += (double) x * x;
    }
    return Math.sqrt(sum);
  }

  /** {@code a·b / (|a| |b|)} given both norms; 0 when either vector is zero. */
  public static double cosine(float[] a, double normA, float[] b, double normB) {
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
