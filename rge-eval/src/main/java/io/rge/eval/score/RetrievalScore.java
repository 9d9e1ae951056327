package io.rge.eval.score;

import java.util.List;
import java.util.Map;

/**
 * A task's ranking metrics, each the mean over its queries x 100: the main metric of
 * visual-document tasks ({@link #ndcgAt5}) and the extras the report lists.
 *
 * @param queries queries scored
 * @param hitAt1 hit@1
 * @param hitAt5 hit@5
 * @param ndcgAt5 NDCG@5, linear gain
 * @param ndcgAt10 NDCG@10, linear gain
 * @param recallAt5 recall@5
 */
public record RetrievalScore(
    long queries, double hitAt1, double hitAt5, double ndcgAt5, double ndcgAt10, double recallAt5) {
  /** The deepest rank any of these metrics reads. */
  public static final int DEPTH = 10;

  /** Sums per-query metrics; {@link #score()} gives the means. Not thread-safe. */
  public static final class Accumulator {
    private long queries;
    private double hit1;
    private double hit5;
    private double ndcg5;
    private double ndcg10;
    private double recall5;

    /**
     * Adds one query.
     *
     * @param ranked its best documents, best first (at least the first {@link #DEPTH} when the
     *     corpus has that many)
     * @param grades its relevant documents with their positive grades
     */
    public Accumulator add(List<String> ranked, Map<String, Double> grades) {
      queries++;
      hit1 += RankingMetrics.hitAt(ranked, grades, 1);
      hit5 += RankingMetrics.hitAt(ranked, grades, 5);
      ndcg5 += RankingMetrics.ndcgAt(ranked, grades, 5);
      ndcg10 += RankingMetrics.ndcgAt(ranked, grades, 10);
      recall5 += RankingMetrics.recallAt(ranked, grades, 5);
      return this;
    }

    /** The means x 100; fails when no query was added (a task without queries has no score). */
    public RetrievalScore score() {
      if (queries == 0) {
        throw new IllegalStateException("no query was scored");
      }
      double scale = 100.0 / queries;
      return new RetrievalScore(
          queries, hit1 * scale, hit5 * scale, ndcg5 * scale, ndcg10 * scale, recall5 * scale);
    }
  }
}
