package io.rge.data.mmeb;

import io.rge.data.DuckDb;
import io.rge.data.RgeDataException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Arrays;
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
    files.forEach(ParquetFiles::requireParquet);
    String list = files.stream().map(DuckDb::literal).collect(Collectors.joining(", ", "[", "]"));
    try (Connection connection = DuckDb.open();
        Statement statement = connection.createStatement();
        ResultSet rs = statement.executeQuery("SELECT count(*) FROM read_parquet(" + list + ")")) {
      rs.next();
      return rs.getLong(1);
    } catch (SQLException e) {
      throw new RgeDataException("cannot count rows of " + files + ": " + DuckDb.message(e), e);
    }
  }

  /**
   * Checks that {@code file} starts and ends with parquet's magic bytes, before DuckDB is asked to
   * read it (an empty or foreign file otherwise gives a multi-line SQL error).
   *
   * @throws ParquetSchemaException naming the file when it is empty, too short or not parquet
   */
  static void requireParquet(Path file) {
    byte[] magic = "PAR1".getBytes(StandardCharsets.US_ASCII);
    try (FileChannel channel = FileChannel.open(file)) {
      long size = channel.size();
      ByteBuffer head = ByteBuffer.allocate(4);
      ByteBuffer tail = ByteBuffer.allocate(4);
      if (size >= 12) {
        channel.read(head, 0);
        channel.read(tail, size - 4);
      }
      if (size < 12 || !Arrays.equals(head.array(), magic) || !Arrays.equals(tail.array(), magic)) {
        throw new ParquetSchemaException(
            file,
            "empty or not a parquet file (" + size + " bytes); replace it with a complete copy");
      }
    } catch (IOException e) {
      throw new RgeDataException("cannot read " + file + ": " + e.getMessage(), e);
    }
  }
}
