package io.rge.data.mmebv2;

import io.rge.data.RgeDataException;
import io.rge.data.mmeb.BeirFiles;
import java.nio.file.Path;
import java.util.List;

/**
 * Finds a visual-document task's BEIR folder under a data root. Accepted, in this order: the
 * MMEB-V2 layout ({@code ROOT/visdoc-tasks/<folder>}, the folder named by the reference's
 * visdoc.yaml, e.g. {@code esg_reports_v2_multilingual}); {@code ROOT/visdoc-tasks/<Task>}; and the
 * Hugging Face BEIR layout with the task's own name ({@code ROOT/<Task>}). Each must hold {@code
 * corpus/}, {@code queries/} and {@code qrels/}.
 */
public final class VisdocFolders {
  private VisdocFolders() {}

  /** The places {@code task} is looked for under {@code root}, in order. */
  public static List<Path> candidates(Path root, MmebV2Task task) {
    return List.of(
        root.resolve(task.folder()),
        root.resolve(MmebV2Tasks.VISDOC_ROOT).resolve(task.name()),
        root.resolve(task.name()));
  }

  /**
   * The BEIR folder of {@code task} under {@code root}.
   *
   * @throws IllegalArgumentException when {@code task} is not a visdoc task
   * @throws RgeDataException naming every place looked at when none holds the task
   */
  public static Path resolve(Path root, MmebV2Task task) {
    if (task.modality() != Modality.VISDOC) {
      throw new IllegalArgumentException(task.name() + " is not a visual-document task");
    }
    List<Path> candidates = candidates(root, task);
    for (Path dir : candidates) {
      if (BeirFiles.isTaskFolder(dir)) {
        return dir;
      }
    }
    throw new RgeDataException(
        task.name() + ": no BEIR folder (corpus/, queries/, qrels/) at any of " + candidates);
  }
}
