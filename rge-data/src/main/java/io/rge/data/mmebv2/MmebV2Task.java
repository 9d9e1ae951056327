package io.rge.data.mmebv2;

import java.util.Objects;
import java.util.Optional;

/**
 * One of the 78 MMEB-V2 tasks.
 *
 * @param name the name the leaderboard and the reference's score files use (e.g. {@code K700},
 *     {@code ViDoRe_arxivqa}, {@code MMLongBench-page})
 * @param group the column it is averaged into
 * @param folder where its data lies under the MMEB-V2 root, as the reference's eval configs name
 *     it: {@code image-tasks/<name>}, {@code video-tasks/frames/video_cls/SSv2}, {@code
 *     visdoc-tasks/esg_reports_v2_multilingual}
 * @param source the Hugging Face dataset the reference reads the task from (visdoc tasks: the BEIR
 *     dataset; others: null, the folder holds the rows)
 */
public record MmebV2Task(String name, TaskGroup group, String folder, String source) {
  public MmebV2Task {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(group, "group");
    Objects.requireNonNull(folder, "folder");
    if (name.isBlank() || folder.isBlank()) {
      throw new IllegalArgumentException("task name and folder must not be blank");
    }
    if ((source != null) != (group.modality() == Modality.VISDOC)) {
      throw new IllegalArgumentException(
          name + ": visdoc tasks name their BEIR source dataset and other tasks do not");
    }
  }

  public Modality modality() {
    return group.modality();
  }

  /** The metric the leaderboard ranks this task by. */
  public TaskMetric metric() {
    return group.modality().metric();
  }

  public Optional<String> sourceDataset() {
    return Optional.ofNullable(source);
  }
}
