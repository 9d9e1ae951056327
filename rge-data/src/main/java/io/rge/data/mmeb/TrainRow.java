package io.rge.data.mmeb;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One MMEB-train row: a query, its positive, an optional hard negative, and the oracle rationale
 * once attached. Image paths are relative to the image root and null when the side has no image;
 * text contains {@link ImagePlaceholder#TOKEN} exactly when its image path is set.
 *
 * @param subset subset name (the folder name, e.g. "ImageNet_1K")
 * @param split split name ("original" or "diverse_instruction")
 * @param row 0-based index over the split's parquet files of the subset, in file-name order; oracle
 *     rationale ids refer to it
 * @param qry query text
 * @param qryImagePath query image path, or null
 * @param posText positive text
 * @param posImagePath positive image path, or null
 * @param negText hard-negative text, or null when the row has no hard negative
 * @param negImagePath hard-negative image path, or null
 * @param rationale the oracle rationale, or null when none is attached
 */
public record TrainRow(
    String subset,
    String split,
    long row,
    String qry,
    String qryImagePath,
    String posText,
    String posImagePath,
    String negText,
    String negImagePath,
    String rationale) {

  public TrainRow {
    Objects.requireNonNull(subset, "subset");
    Objects.requireNonNull(split, "split");
    Objects.requireNonNull(qry, "qry");
    Objects.requireNonNull(posText, "posText");
    if (row < 0) {
      throw new IllegalArgumentException("row must be >= 0, got " + row);
    }
    if (negText == null && negImagePath != null) {
      throw new IllegalArgumentException("negImagePath without negText");
    }
  }

  /** Whether the row carries a hard negative. */
  public boolean hasHardNegative() {
    return negText != null;
  }

  public Optional<String> oracleRationale() {
    return Optional.ofNullable(rationale);
  }

  /** This row with {@code text} as its oracle rationale. */
  public TrainRow withRationale(String text) {
    return new TrainRow(
        subset, split, row, qry, qryImagePath, posText, posImagePath, negText, negImagePath, text);
  }

  /** Every image path the row references (query, positive, negative), without nulls. */
  public List<String> imagePaths() {
    List<String> paths = new ArrayList<>(3);
    for (String path : new String[] {qryImagePath, posImagePath, negImagePath}) {
      if (path != null) {
        paths.add(path);
      }
    }
    return paths;
  }
}
