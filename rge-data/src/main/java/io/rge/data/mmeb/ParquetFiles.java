package io.rge.data.mmeb;

import io.rge.data.DuckDb;
import io.rge.data.RgeDataException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** Finds the parquet shards of one split in a dataset folder, in the order rows are numbered. */
final class ParquetFiles {
  private ParquetFiles() {}

  /**
   * The files {@code <dir>/<prefix>-*.parquet}, sorted by file name (the Hugging Face shard order).
   *
   * @throws RgeDataException when the folder is missing or has no such file
   */
  static List<Path> shards(Path dir, String prefix) {
    if (!Files.isDirectory(dir)) {
      throw new RgeDataException("dataset folder not found: " + dir);
    }
    List<Path> files = list(dir, prefix);
    if (files.isEmpty()) {
      throw new RgeDataException("no " + prefix + "-*.parquet file in " + dir);
    }
    return files;
  }

  /** Like {@link #shards} but empty instead of failing. */
  static List<Path> list(Path dir, String prefix) {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> entries = Files.list(dir)) {
      return entries
          .filter(Files::isRegularFile)
          .filter(
              p -> {
                String name = p.getFileName().toString();
                return name.startsWith(prefix + "-") && name.endsWith(".parquet");
              })
          .sorted()
          .toList();
    } catch (IOException e) {
      throw new RgeDataException("cannot list " + dir + ": " + e.getMessage(), e);
    }
  }

  /**
   * Sub-folders of {@code root} holding at least one {@code <prefix>-*.parquet}, sorted by name.
   */
  static List<String> datasetsWith(Path root, String prefix) {
    if (!Files.isDirectory(root)) {
      throw new RgeDataException("root folder not found: " + root);
    }
    try (Stream<Path> entries = Files.list(root)) {
      return entries
          .filter(Files::isDirectory)
          .filter(dir -> !list(dir, prefix).isEmpty())
          .map(dir -> dir.getFileName().toString())
          .sorted()
          .toList();
    } catch (IOException e) {
      throw new RgeDataException("cannot list " + root + ": " + e.getMessage(), e);
    }
  }

  /** Total rows of {@code files}, read from the parquet footers (no row data is decoded). */
  static long countRows(List<Path> files) {
    if (files.isEmpty()) {
      return 0;
    }
    String list = files.stream().map(DuckDb::literal).collect(Collectors.joining(", ", "[", "]"));
    try (Connection connection = DuckDb.open();
        Statement statement = connection.createStatement();
        ResultSet rs = statement.executeQuery("SELECT count(*) FROM read_parquet(" + list + ")")) {
      rs.next();
      return rs.getLong(1);
    } catch (SQLException e) {
      throw new RgeDataException("cannot count rows of " + files + ": " + e.getMessage(), e);
    }
  }
}
