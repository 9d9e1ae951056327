package io.rge.data.synth;

import io.rge.data.DuckDb;
import io.rge.data.RgeDataException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.stream.Collectors;
import org.duckdb.DuckDBAppender;
import org.duckdb.DuckDBConnection;

/**
 * Writes rows of string and list-of-string columns to a zstd parquet file through DuckDB.
 * Single-threaded DuckDB and rows in the given order make the file's bytes a function of the rows
 * alone.
 */
final class ParquetTableWriter implements AutoCloseable {
  /** A column: name and DuckDB type ("VARCHAR" or "VARCHAR[]"). */
  record Column(String name, String type) {}

  // One connection for all files: opening DuckDB costs far more than writing a small file.
  private final Connection connection;

  ParquetTableWriter() {
    this.connection = DuckDb.open();
    try (Statement statement = connection.createStatement()) {
      statement.execute("SET threads = 1");
    } catch (SQLException e) {
      close();
      throw new RgeDataException("cannot configure DuckDB: " + e.getMessage(), e);
    }
  }

  /**
   * Writes {@code rows} (each an array of String or List&lt;String&gt; per column) to {@code file}.
   *
   * @throws RgeDataException when DuckDB fails
   */
  void write(Path file, List<Column> columns, List<Object[]> rows) {
    String schema =
        columns.stream().map(c -> c.name() + " " + c.type()).collect(Collectors.joining(", "));
    try (Statement statement = connection.createStatement()) {
      statement.execute("CREATE OR REPLACE TABLE rows (" + schema + ")");
      try (DuckDBAppender appender =
          connection
              .unwrap(DuckDBConnection.class)
              .createAppender(DuckDBConnection.DEFAULT_SCHEMA, "rows")) {
        for (Object[] row : rows) {
          appender.beginRow();
          for (Object value : row) {
            if (value instanceof List<?> list) {
              appender.append(list);
            } else {
              appender.append((String) value);
            }
          }
          appender.endRow();
        }
      }
      statement.execute(
          "COPY rows TO " + DuckDb.literal(file) + " (FORMAT parquet, COMPRESSION zstd)");
      statement.execute("DROP TABLE rows");
    } catch (SQLException e) {
      throw new RgeDataException("cannot write parquet file " + file + ": " + DuckDb.message(e), e);
    }
  }

  @Override
  public void close() {
    try {
      connection.close();
    } catch (SQLException e) {
      throw new RgeDataException("cannot close DuckDB: " + DuckDb.message(e), e);
    }
  }
}
