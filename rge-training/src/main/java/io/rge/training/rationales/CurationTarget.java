package io.rge.training.rationales;

import java.nio.file.Path;

/**
 * One subset split to curate.
 *
 * @param trainRoot the MMEB-train root ({@code <root>/<Subset>/<split>-*.parquet})
 * @param subset the subset folder's name
 * @param split original or diverse_instruction
 * @param limit rows covered: the first {@code limit} rows in file order
 * @param outDir where the rationale, rejected and stats files go
 */
public record CurationTarget(Path trainRoot, String subset, String split, long limit, Path outDir) {
  public CurationTarget {
    if (limit < 1) {
      throw new IllegalArgumentException("limit must be >= 1, got " + limit);
    }
  }
}
