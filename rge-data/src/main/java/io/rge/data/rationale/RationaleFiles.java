package io.rge.data.rationale;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Where a subset's rationale file lives in a rationale folder: {@code <dir>/<Subset>.<split>.jsonl}
 * when present, else {@code <dir>/<Subset>.jsonl} (one file per subset, for the split being trained
 * on).
 */
public final class RationaleFiles {
  private RationaleFiles() {}

  public static Optional<Path> locate(Path dir, String subset, String split) {
    Path perSplit = dir.resolve(subset + "." + split + ".jsonl");
    if (Files.isRegularFile(perSplit)) {
      return Optional.of(perSplit);
    }
    Path perSubset = dir.resolve(subset + ".jsonl");
    return Files.isRegularFile(perSubset) ? Optional.of(perSubset) : Optional.empty();
  }
}
