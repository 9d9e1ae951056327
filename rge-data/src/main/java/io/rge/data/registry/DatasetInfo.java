package io.rge.data.registry;

import java.util.Objects;
import java.util.Optional;

/**
 * One evaluation dataset.
 *
 * @param name the folder name in the eval root (for MMEB, the Hugging Face subset name, e.g.
 *     "ImageNet-1K")
 * @param metaTask the meta-task it is averaged into
 * @param distribution IND when a training subset of the same task exists, else OOD
 * @param trainSubset the matching training subset's folder name (MMEB-train spells some
 *     differently, e.g. "ImageNet_1K"), or null
 */
public record DatasetInfo(
    String name, MetaTask metaTask, Distribution distribution, String trainSubset) {
  public DatasetInfo {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(metaTask, "metaTask");
    Objects.requireNonNull(distribution, "distribution");
    if (name.isBlank()) {
      throw new IllegalArgumentException("dataset name is blank");
    }
    if ((trainSubset != null) != (distribution == Distribution.IND)) {
      throw new IllegalArgumentException(
          name + ": IND datasets name their training subset and OOD ones do not");
    }
  }

  public Optional<String> trainSubsetName() {
    return Optional.ofNullable(trainSubset);
  }
}
