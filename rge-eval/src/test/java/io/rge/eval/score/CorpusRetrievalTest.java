package io.rge.eval.score;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CorpusRetrievalTest {
  private static final double EPS = 1e-9;

  // p4 is an exact copy of p1, so the two always tie; vectors are small integers so that equal
  // cosines are equal in floating point too.
  private final CorpusRetrieval corpus =
      new CorpusRetrieval(
          List.of("p0", "p1", "p2", "p3", "p4"),
          List.of(
              new float[] {1, 0},
              new float[] {1, 1},
              new float[] {0, 1},
              new float[] {-1, 0},
              new float[] {1, 1}));

  @Test
  void ranksByCosineWithTiesInCorpusOrder() {
    // Query (1, 1): p1 = p4 (cos 1) in corpus order, then p0 = p2 (cos 0.707), then p3 (-0.707).
    assertEquals(List.of("p1", "p4", "p0", "p2", "p3"), corpus.rank(new float[] {1, 1}, 10));
    // Query (0, 2): p2, then p1 = p4, then p0 = p3 (cos 0); cut at 2.
    assertEquals(List.of("p2", "p1"), corpus.rank(new float[] {0, 2}, 2));
  }

  @Test
  void scoresEachQueryAgainstTheWholeCorpus() {
    // q0 = (0, 1) ranks p2, p1, p4, p0, p3: relevant p1 (grade 2) at rank 2, p0 (grade 1) at
    // rank 4. DCG@5 = 2/log2(3) + 1/log2(5); IDCG@5 = 2 + 1/log2(3).
    // q1 = (3, 0) ranks p0 first, its only relevant page: every metric 1.
    RetrievalScore score =
        corpus.score(
            List.of(new float[] {0, 1}, new float[] {3, 0}),
            List.of(Map.of("p1", 2.0, "p0", 1.0), Map.of("p0", 1.0)));
    double ndcg0 = (2 / log2(3) + 1 / log2(5)) / (2 + 1 / log2(3));
    assertEquals(2, score.queries());
    assertEquals(50.0, score.hitAt1(), EPS);
    assertEquals(100.0, score.hitAt5(), EPS);
    assertEquals(100 * (ndcg0 + 1) / 2, score.ndcgAt5(), EPS);
    assertEquals(100.0, score.recallAt5(), EPS);
  }

  @Test
  void mismatchedInputsAreRejected() {
    assertThrows(
        IllegalArgumentException.class,
        () -> new CorpusRetrieval(List.of("a", "a"), List.of(new float[] {1}, new float[] {1})));
    assertThrows(
        IllegalArgumentException.class,
        () -> new CorpusRetrieval(List.of("a", "b"), List.of(new float[] {1}, new float[] {1, 2})));
    assertThrows(IllegalArgumentException.class, () -> corpus.rank(new float[] {1, 0, 0}, 3));
    assertThrows(
        IllegalArgumentException.class, () -> corpus.score(List.of(new float[] {1, 0}), List.of()));
  }

  private static double log2(double x) {
    return Math.log(x) / Math.log(2);
  }
}
