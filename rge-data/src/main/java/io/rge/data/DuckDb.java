package io.rge.data;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;

/**
 * Opens the in-memory DuckDB connections rge-data reads and writes parquet with. Results are
 * streamed (DuckDB's {@code jdbc_stream_results}) so a large file is never materialised on the
 * DuckDB side, and spill files go to the JVM's temp folder rather than the working directory, so
 * reading never writes next to the user's data.
 */
public final class DuckDb {
  private DuckDb() {}

  /** A new in-memory database with streamed results; the caller closes it. */
  public static Connection open() {
    Properties properties = new Properties();
    properties.setProperty("jdbc_stream_results", "true");
    try {
      Connection connection = DriverManager.getConnection("jdbc:duckdb:", properties);
      try (Statement statement = connection.createStatement()) {
        Path spill = Path.of(System.getProperty("java.io.tmpdir"), "rge-duckdb-spill");
        statement.execute("SET temp_directory = " + quote(spill.toString()));
      }
      return connection;
    } catch (SQLException e) {
      throw new RgeDataException(
          "cannot open an in-memory DuckDB database: " + DuckDb.message(e), e);
    }
  }

  /**
   * DuckDB's error in one line: its messages go on with a {@code LINE 1: … ^} excerpt of the query,
   * which says nothing about the user's file.
   */
  public static String message(SQLException e) {
    String text = e.getMessage() == null ? "" : e.getMessage();
    return text.lines()
        .map(String::strip)
        .filter(l -> !l.isEmpty())
        .findFirst()
        .orElse("no detail");
  }

  /** {@code path} as a single-quoted SQL string literal. */
  public static String literal(Path path) {
    return quote(path.toAbsolutePath().toString());
  }

  /** {@code text} as a single-quoted SQL string literal (quotes doubled). */
  public static String quote(String text) {
    return "'" + text.replace("'", "''") + "'";
  }
}
