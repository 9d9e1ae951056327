package io.rge.data.mmeb;

import io.rge.data.RgeDataException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * The parquet files of one BEIR task folder, as Hugging Face lays a BEIR dataset out: {@code
 * <task>/corpus/*.parquet}, {@code <task>/queries/*.parquet}, {@code <task>/qrels/*.parquet}, each
 * sorted by file name (the shard order).
 */
public record BeirFiles(Path dir, List<Path> corpus, List<Path> queries, List<Path> qrels) {
  public static final String CORPUS = "corpus";
  public static final String QUERIES = "queries";
  public static final String QRELS = "qrels";

  public BeirFiles {
    corpus = List.copyOf(corpus);
    queries = List.copyOf(queries);
    qrels = List.copyOf(qrels);
  }

  /** Whether {@code dir} has the three BEIR sub-folders. */
  public static boolean isTaskFolder(Path dir) {
    return Files.isDirectory(dir.resolve(CORPUS))
        && Files.isDirectory(dir.resolve(QUERIES))
        && Files.isDirectory(dir.resolve(QRELS));
  }

  /**
   * The files of the task folder {@code dir}.
   *
   * @throws RgeDataException naming the sub-folder that is missing or holds no parquet file
   */
  public static BeirFiles locate(Path dir) {
    return new BeirFiles(dir, shards(dir, CORPUS), shards(dir, QUERIES), shards(dir, QRELS));
  }

  private static List<Path> shards(Path dir, String table) {
    Path folder = dir.resolve(table);
    if (!Files.isDirectory(folder)) {
      throw new RgeDataException(
          "BEIR folder not found: " + folder + " (a task folder holds corpus/, queries/, qrels/)");
    }
    try (Stream<Path> entries = Files.list(folder)) {
      List<Path> files =
          entries
              .filter(Files::isRegularFile)
              .filter(p -> p.getFileName().toString().endsWith(".parquet"))
              .sorted()
              .toList();
      if (files.isEmpty()) {
        throw new RgeDataException("no *.parquet file in " + folder);
      }
      return files;
    } catch (IOException e) {
      throw new RgeDataException("cannot list " + folder + ": " + e.getMessage(), e);
    }
  }
}
