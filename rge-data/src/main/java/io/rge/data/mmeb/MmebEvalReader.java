package io.rge.data.mmeb;

import java.nio.file.Path;
import java.util.List;

/**
 * Reads MMEB-eval: one folder per dataset, {@code <root>/<Dataset>/test-*.parquet}, columns {@code
 * qry_text}, {@code qry_img_path}, {@code tgt_text} (list), {@code tgt_img_path} (list); candidate
 * 0 is the positive and {@code ""} means no image. Image paths stay relative to the image archive
 * root.
 *
 * <pre>{@code
 * try (RowStream<EvalRow> rows = MmebEvalReader.openDataset(root, "ImageNet-1K", ReadOptions.defaults())) {
 *   for (List<EvalRow> batch = rows.nextBatch(); !batch.isEmpty(); batch = rows.nextBatch()) { ... }
 * }
 * }</pre>
 */
public final class MmebEvalReader {
  /** The split MMEB-eval ships. */
  public static final String SPLIT = "test";

  private MmebEvalReader() {}

  /** The datasets under {@code root}: sub-folders with a {@code test-*.parquet}, sorted. */
  public static List<String> datasets(Path root) {
    return ParquetFiles.datasetsWith(root, SPLIT);
  }

  /** {@code <root>/<dataset>/test-*.parquet}, sorted by name; fails when there is none. */
  public static List<Path> datasetFiles(Path root, String dataset) {
    return ParquetFiles.shards(root.resolve(dataset), SPLIT);
  }

  /** Number of rows in {@code files}, from the parquet footers. */
  public static long countRows(List<Path> files) {
    return ParquetFiles.countRows(files);
  }

  /** Streams the rows of {@code dataset} under {@code root}. */
  public static RowStream<EvalRow> openDataset(Path root, String dataset, ReadOptions options) {
    return open(dataset, datasetFiles(root, dataset), options);
  }

  /**
   * Streams the rows of explicitly given parquet files (read in the given order) as {@code
   * dataset}.
   */
  public static RowStream<EvalRow> open(String dataset, List<Path> files, ReadOptions options) {
    return new RowStream<>(
        files, new EvalParquetFormat(dataset, options.checkPlaceholders()), options);
  }
}
