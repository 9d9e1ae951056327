package io.rge.eval.score;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Every expected value is worked out by hand in the comment beside it. */
class RankingMetricsTest {
  private static final double EPS = 1e-9;

  @Test
  void binaryRelevance() {
    List<String> ranked = List.of("a", "b", "c", "d", "e", "f");
    Map<String, Double> grades = Map.of("b", 1.0, "e", 1.0);
    // DCG@5 = 1/log2(3) + 1/log2(6) = 1.0177825608; IDCG@5 = 1 + 1/log2(3) = 1.6309297536.
    assertEquals(0.6240505200038379, RankingMetrics.ndcgAt(ranked, grades, 5), EPS);
    // Only b (rank 2) inside the first 1 or 2.
    assertEquals(0.0, RankingMetrics.ndcgAt(ranked, grades, 1), EPS);
    assertEquals(0.0, RankingMetrics.hitAt(ranked, grades, 1), EPS);
    assertEquals(1.0, RankingMetrics.hitAt(ranked, grades, 2), EPS);
    assertEquals(0.5, RankingMetrics.recallAt(ranked, grades, 2), EPS);
    assertEquals(1.0, RankingMetrics.recallAt(ranked, grades, 5), EPS);
  }

  @Test
  void gradedRelevanceUsesEachDocumentsOwnGrade() {
    // ViDoSeek-doc style: the evidence page graded 3, another page of the document graded 2.
    Map<String, Double> grades = Map.of("A", 3.0, "B", 2.0);
    // [B, x, A]: DCG = 2/1 + 3/log2(4) = 3.5; IDCG = 3 + 2/log2(3) = 4.2618595071 -> 0.82123777.
    assertEquals(0.8212377705398237, RankingMetrics.ndcgAt(List.of("B", "x", "A"), grades, 5), EPS);
    // Pairing the grades with the wrong pages (B->3, A->2) would give 3 + 2/2 = 4 / 4.26 = 0.9386.
    // [A, x, B]: DCG = 3 + 2/2 = 4 -> 0.93856.
    assertEquals(
        4.0 / (3 + 2 / log2(3)), RankingMetrics.ndcgAt(List.of("A", "x", "B"), grades, 5), EPS);

    Map<String, Double> three = Map.of("A", 3.0, "B", 2.0, "C", 1.0);
    List<String> ranked = List.of("C", "A", "z", "B");
    // @3: DCG = 1 + 3/log2(3) = 2.8927892607; IDCG = 3 + 2/log2(3) + 1/2 = 4.7618595071.
    assertEquals(0.6074915180456525, RankingMetrics.ndcgAt(ranked, three, 3), EPS);
    // @10: DCG adds 2/log2(5) = 0.8613531161 -> 3.7541423768; IDCG unchanged.
    assertEquals(0.7883773914853737, RankingMetrics.ndcgAt(ranked, three, 10), EPS);
  }

  @Test
  void equalGradesInAnyOrderAreIdeal() {
    Map<String, Double> grades = Map.of("A", 2.0, "B", 2.0);
    assertEquals(1.0, RankingMetrics.ndcgAt(List.of("A", "B", "c"), grades, 5), EPS);
    assertEquals(1.0, RankingMetrics.ndcgAt(List.of("B", "A", "c"), grades, 5), EPS);
  }

  @Test
  void moreRelevantDocumentsThanKCutTheIdealAtK() {
    Map<String, Double> seven =
        Map.of("r1", 1.0, "r2", 1.0, "r3", 1.0, "r4", 1.0, "r5", 1.0, "r6", 1.0, "r7", 1.0);
    List<String> allRelevant = List.of("r7", "r6", "r5", "r4", "r3", "r2", "r1");
    // The ideal DCG@5 counts 5 of the 7, so five relevant on top is a perfect 1.
    assertEquals(1.0, RankingMetrics.ndcgAt(allRelevant, seven, 5), EPS);
    assertEquals(5.0 / 7.0, RankingMetrics.recallAt(allRelevant, seven, 5), EPS);
    // Relevant at ranks 1 and 3: DCG = 1 + 1/2; IDCG@5 = sum_{i=1..5} 1/log2(i+1) = 2.9484591189.
    List<String> two = List.of("r1", "x", "r2", "y", "z", "r3");
    assertEquals(0.5087403079104241, RankingMetrics.ndcgAt(two, seven, 5), EPS);
    assertEquals(2.0 / 7.0, RankingMetrics.recallAt(two, seven, 5), EPS);
  }

  @Test
  void aShortRankingAndNoHit() {
    Map<String, Double> grades = Map.of("A", 1.0);
    assertEquals(0.0, RankingMetrics.ndcgAt(List.of("x", "y"), grades, 5), EPS);
    assertEquals(0.0, RankingMetrics.hitAt(List.of("x", "y"), grades, 5), EPS);
    assertEquals(1.0 / log2(3), RankingMetrics.ndcgAt(List.of("x", "A"), grades, 5), EPS);
    assertThrows(
        IllegalArgumentException.class, () -> RankingMetrics.ndcgAt(List.of("x"), Map.of(), 5));
    assertThrows(
        IllegalArgumentException.class, () -> RankingMetrics.hitAt(List.of("x"), grades, 0));
  }

  @Test
  void topRankingBreaksScoreTiesByCorpusOrder() {
    double[] scores = {0.5, 0.9, 0.5, 0.9, 0.1};
    assertArrayEquals(new int[] {1, 3, 0}, TopRanking.of(scores, 3));
    assertArrayEquals(new int[] {1, 3, 0, 2, 4}, TopRanking.of(scores, 10));
    assertArrayEquals(new int[] {1}, TopRanking.of(scores, 1));
    assertArrayEquals(new int[] {4, 3, 2, 1, 0}, TopRanking.of(new double[] {1, 2, 3, 4, 5}, 5));
    assertThrows(
        IllegalArgumentException.class, () -> TopRanking.of(new double[] {0, Double.NaN}, 2));
  }

  @Test
  void retrievalScoreAveragesQueriesTimes100() {
    RetrievalScore score =
        new RetrievalScore.Accumulator()
            .add(List.of("A", "x"), Map.of("A", 1.0))
            .add(List.of("x", "y", "z", "w", "v", "A"), Map.of("A", 1.0))
            .score();
    assertEquals(2, score.queries());
    assertEquals(50.0, score.hitAt1(), EPS);
    assertEquals(50.0, score.hitAt5(), EPS);
    assertEquals(50.0, score.ndcgAt5(), EPS);
    // The second query finds A at rank 6: 1/log2(7) inside @10.
    assertEquals(100 * (1 + 1 / log2(7)) / 2, score.ndcgAt10(), EPS);
    assertEquals(50.0, score.recallAt5(), EPS);
    assertThrows(IllegalStateException.class, () -> new RetrievalScore.Accumulator().score());
  }

  private static double log2(double x) {
    return Math.log(x) / Math.log(2);
  }
}
