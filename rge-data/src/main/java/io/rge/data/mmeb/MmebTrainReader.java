package io.rge.data.mmeb;

import java.nio.file.Path;
import java.util.List;

/**
 * Reads MMEB-train: {@code <root>/<Subset>/<split>-*.parquet} with splits {@code original} and
 * {@code diverse_instruction}, columns {@code qry}, {@code qry_image_path}, {@code pos_text},
 * {@code pos_image_path} and, for some subsets, {@code neg_text}, {@code neg_image_path}. Row
 * indices run over the split's files in file-name order, which is what oracle-rationale ids refer
 * to.
 */
public final class MmebTrainReader {
  public static final String ORIGINAL = "original";
  public static final String DIVERSE_INSTRUCTION = "diverse_instruction";

  private MmebTrainReader() {}

  /** Sub-folders of {@code root} that hold {@code <split>-*.parquet} files, sorted. */
  public static List<String> subsets(Path root, String split) {
    return ParquetFiles.datasetsWith(root, split);
  }

  /** {@code <root>/<subset>/<split>-*.parquet}, sorted by name; fails when there is none. */
  public static List<Path> subsetFiles(Path root, String subset, String split) {
    return ParquetFiles.shards(root.resolve(subset), split);
  }

  /** Number of rows in {@code files}, from the parquet footers. */
  public static long countRows(List<Path> files) {
    return ParquetFiles.countRows(files);
  }

  /** Streams one split of one subset under {@code root}. */
  public static RowStream<TrainRow> openSubset(
      Path root, String subset, String split, ReadOptions options) {
    return open(subset, split, subsetFiles(root, subset, split), options);
  }

  /**
   * Streams explicitly given parquet files (in the given order) as {@code subset}/{@code split}.
   */
  public static RowStream<TrainRow> open(
      String subset, String split, List<Path> files, ReadOptions options) {
    return new RowStream<>(
        files, new TrainParquetFormat(subset, split, options.checkPlaceholders()), options);
  }
}
