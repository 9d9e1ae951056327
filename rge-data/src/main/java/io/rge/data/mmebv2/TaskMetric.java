package io.rge.data.mmebv2;

/**
 * The main metric of an MMEB-V2 task: hit@1 for image and video tasks, NDCG@5 with linear gain
 * (graded relevance) for visual-document retrieval.
 */
public enum TaskMetric {
  HIT_AT_1("hit@1"),
  NDCG_LINEAR_AT_5("ndcg_linear@5");

  private final String key;

  TaskMetric(String key) {
    this.key = key;
  }

  /** The key of this metric in the reference's {@code <task>_score.json} files. */
  public String key() {
    return key;
  }
}
