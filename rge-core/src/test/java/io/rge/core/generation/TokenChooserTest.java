package io.rge.core.generation;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.rge.core.DjlEngine;
import org.junit.jupiter.api.Test;

class TokenChooserTest {
  // Row 0 prefers token 3 (suppressed), then 1; row 1 prefers token 4 (suppressed), then 0.
  private static final float[] LOGITS = {
    0.5f, 2f, 0f, 9f, -1f,
    3f, 1f, 0f, -2f, 8f
  };
  private static final int[] SUPPRESSED = {3, 4};

  @Test
  void greedyNeverPicksASuppressedToken() {
    try (NDManager m = DjlEngine.get().newBaseManager()) {
      TokenChooser chooser = new TokenChooser(Decoding.greedy(), SUPPRESSED, 5, m);
      NDArray logits = m.create(LOGITS, new Shape(2, 5));
      assertArrayEquals(new int[] {1, 0}, chooser.choose(logits));
      // Unsuppressed, the same logits pick the suppressed ids: the bias is what changes them.
      TokenChooser free = new TokenChooser(Decoding.greedy(), new int[0], 5, m);
      assertArrayEquals(new int[] {3, 4}, free.choose(logits));
    }
  }

  @Test
  void samplingNeverPicksASuppressedToken() {
    try (NDManager m = DjlEngine.get().newBaseManager()) {
      TokenChooser chooser = new TokenChooser(new Decoding.Sampling(1.0, 1.0, 7), SUPPRESSED, 5, m);
      NDArray logits = m.create(LOGITS, new Shape(2, 5));
      for (int i = 0; i < 200; i++) {
        for (int id : chooser.choose(logits)) {
          assertNotEquals(3, id);
          assertNotEquals(4, id);
        }
      }
    }
  }

  /** softmax(row / temperature) by hand, in double, over the ids not in {@code suppressed}. */
  private static double[] tempered(int row, double temperature, int... suppressed) {
    double[] p = new double[5];
    double sum = 0;
    for (int i = 0; i < 5; i++) {
      final int id = i;
      if (java.util.Arrays.stream(suppressed).noneMatch(x -> x == id)) {
        p[i] = Math.exp(LOGITS[row * 5 + i] / temperature);
        sum += p[i];
      }
    }
    for (int i = 0; i < 5; i++) {
      p[i] /= sum;
    }
    return p;
  }

  @Test
  void temperatureScalesTheLogitsBeforeTheSoftmax() {
    try (NDManager m = DjlEngine.get().newBaseManager()) {
      NDArray logits = m.create(LOGITS, new Shape(2, 5));
      for (double t : new double[] {0.5, 1.0, 2.0}) {
        Decoding.Sampling s = new Decoding.Sampling(t, 1.0, 0);
        double[][] d = new TokenChooser(s, SUPPRESSED, 5, m).distribution(logits, s);
        assertArrayEquals(tempered(0, t, SUPPRESSED), d[0], 1e-6, "row 0, temperature " + t);
        assertArrayEquals(tempered(1, t, SUPPRESSED), d[1], 1e-6, "row 1, temperature " + t);
      }
    }
  }

  @Test
  void topPKeepsTheSmallestSetReachingIt() {
    try (NDManager m = DjlEngine.get().newBaseManager()) {
      NDArray logits = m.create(LOGITS, new Shape(2, 5));
      // Row 0 at temperature 2 (3 and 4 suppressed), by hand: p(1) = 0.543, p(0) = 0.257, p(2) =
      // 0.200.
      double[] full = tempered(0, 2.0, SUPPRESSED);
      Decoding.Sampling s = new Decoding.Sampling(2.0, 0.6, 0);
      double[] d = new TokenChooser(s, SUPPRESSED, 5, m).distribution(logits, s)[0];
      // p(1) < 0.6 <= p(1) + p(0): the nucleus is {1, 0}, renormalised; 2 is cut.
      double kept = full[1] + full[0];
      assertArrayEquals(new double[] {full[0] / kept, full[1] / kept, 0, 0, 0}, d, 1e-6);
      // A top_p below the largest probability keeps that token alone.
      Decoding.Sampling tight = new Decoding.Sampling(2.0, 0.3, 0);
      assertArrayEquals(
          new double[] {0, 1, 0, 0, 0},
          new TokenChooser(tight, SUPPRESSED, 5, m).distribution(logits, tight)[0],
          1e-9);
    }
  }

  @Test
  void samplingDrawsTokensAtTheirProbabilities() {
    try (NDManager m = DjlEngine.get().newBaseManager()) {
      NDArray logits = m.create(LOGITS, new Shape(2, 5));
      Decoding.Sampling s = new Decoding.Sampling(2.0, 0.7, 11);
      TokenChooser chooser = new TokenChooser(s, SUPPRESSED, 5, m);
      double[] full = tempered(0, 2.0, SUPPRESSED);
      // Cumulative by probability: 0.543 (id 1), 0.800 (id 0) >= 0.7: id 2 is cut.
      double kept = full[1] + full[0];
      double[] expected = {full[0] / kept, full[1] / kept, 0, 0, 0};
      int draws = 20_000;
      int[] counts = new int[5];
      for (int i = 0; i < draws; i++) {
        counts[chooser.choose(logits)[0]]++;
      }
      for (int i = 0; i < 5; i++) {
        // Binomial standard deviation at 20,000 draws is at most 0.0036: 0.015 is over 4 of them.
        assertEquals(expected[i], counts[i] / (double) draws, 0.015, "token " + i);
      }
    }
  }

  @Test
  void suppressedIdOutsideTheVocabularyIsRejected() {
    try (NDManager m = DjlEngine.get().newBaseManager()) {
      assertThrows(
          IllegalArgumentException.class,
          () -> new TokenChooser(Decoding.greedy(), new int[] {5}, 5, m));
    }
  }
}
