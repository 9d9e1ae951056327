package io.rge.core.generation;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
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

  @Test
  void suppressedIdOutsideTheVocabularyIsRejected() {
    try (NDManager m = DjlEngine.get().newBaseManager()) {
      assertThrows(
          IllegalArgumentException.class,
          () -> new TokenChooser(Decoding.greedy(), new int[] {5}, 5, m));
    }
  }
}
