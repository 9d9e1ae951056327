package io.rge.data.mmebv2;

/** The three tabs of MMEB-V2, each scored with one main metric. */
public enum Modality {
  IMAGE("image", TaskMetric.HIT_AT_1),
  VIDEO("video", TaskMetric.HIT_AT_1),
  VISDOC("visdoc", TaskMetric.NDCG_LINEAR_AT_5);

  private final String key;
  private final TaskMetric metric;

  Modality(String key, TaskMetric metric) {
    this.key = key;
    this.metric = metric;
  }

  /** The name the reference's score files use ({@code image}, {@code video}, {@code visdoc}). */
  public String key() {
    return key;
  }

  /** The metric every task of this modality is ranked by. */
  public TaskMetric metric() {
    return metric;
  }
}
