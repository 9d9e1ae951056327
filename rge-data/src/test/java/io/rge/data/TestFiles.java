package io.rge.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Writes test parquet files with DuckDB SQL and snapshots folders, so tests can prove inputs stay
 * untouched.
 */
public final class TestFiles {
  private TestFiles() {}

  /** Runs {@code COPY (select) TO file (FORMAT parquet, COMPRESSION compression)}. */
  public static Path parquet(Path file, String select, String compression) {
    try {
      Files.createDirectories(file.getParent());
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    sql(
        "COPY ("
            + select
            + ") TO "
            + DuckDb.literal(file)
            + " (FORMAT parquet, COMPRESSION "
            + compression
            + ")");
    return file;
  }

  public static void sql(String statementText) {
    try (Connection connection = DuckDb.open();
        Statement statement = connection.createStatement()) {
      statement.execute(statementText);
    } catch (SQLException e) {
      throw new IllegalStateException(statementText + ": " + e.getMessage(), e);
    }
  }

  /** Relative path -> (size, modified time) of everything under {@code root}. */
  public static TreeMap<String, List<Long>> snapshot(Path root) {
    TreeMap<String, List<Long>> out = new TreeMap<>();
    try (Stream<Path> paths = Files.walk(root)) {
      for (Path path : paths.toList()) {
        long size = Files.isRegularFile(path) ? Files.size(path) : -1;
        out.put(
            root.relativize(path).toString(),
            List.of(size, Files.getLastModifiedTime(path).toMillis()));
      }
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    return out;
  }
}
