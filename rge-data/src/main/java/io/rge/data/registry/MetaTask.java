package io.rge.data.registry;

/** MMEB's four meta-tasks, each reported as the mean Precision@1 over its datasets. */
public enum MetaTask {
  CLASSIFICATION("Classification"),
  VQA("VQA"),
  RETRIEVAL("Retrieval"),
  VISUAL_GROUNDING("Visual Grounding");

  private final String label;

  MetaTask(String label) {
    this.label = label;
  }

  /** The name MMEB's tables use. */
  public String label() {
    return label;
  }
}
