package io.rge.eval.score;

import java.util.Arrays;

/**
 * The best {@code k} documents of one query, by descending similarity. Equal scores rank the lower
 * document index (corpus order) first, so a ranking never depends on sort internals.
 */
public final class TopRanking {
  private TopRanking() {}

  /**
   * Indices of the {@code k} highest {@code scores} (fewer when there are fewer), best first.
   *
   * @throws IllegalArgumentException when a score is NaN or k is below 1
   */
  public static int[] of(double[] scores, int k) {
    if (k < 1) {
      throw new IllegalArgumentException("k must be at least 1, got " + k);
    }
    int n = Math.min(k, scores.length);
    int[] top = new int[n]; // [n] document indices, best first
    int filled = 0;
    for (int doc = 0; doc < scores.length; doc++) {
      double s = scores[doc];
      if (Double.isNaN(s)) {
        throw new IllegalArgumentException("score of document " + doc + " is NaN");
      }
      // Strictly greater moves a document up, so an equal score stays behind the earlier index.
      int at = filled;
      while (at > 0 && s > scores[top[at - 1]]) {
        at--;
      }
      if (at >= n) {
        continue;
      }
      int last = Math.min(filled, n - 1);
      System.arraycopy(top, at, top, at + 1, last - at);
      top[at] = doc;
      filled = Math.min(filled + 1, n);
    }
    return Arrays.copyOf(top, filled);
  }
}
