package io.rge.data.mmeb;

import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Map;

/**
 * How one MMEB layout turns a parquet file into rows: checks the file's columns, then decodes its
 * rows.
 */
interface ParquetRowFormat<T> {

  /**
   * Checks {@code file}'s columns and returns how to select and decode its rows.
   *
   * @param columnTypes DuckDB type name per column, in file order
   * @param plainLists fetch list columns as JDBC arrays; otherwise a format may fetch them joined
   *     into one string (far fewer Java objects per row) and throw {@link JoinedListMismatch} for a
   *     row it cannot split back
   * @throws ParquetSchemaException when a column is missing or has the wrong type
   */
  FileBinding<T> bind(Path file, Map<String, String> columnTypes, boolean plainLists);

  /** The SELECT list for one file and the decoder of its rows. */
  interface FileBinding<T> {
    String selectList();

    /**
     * Decodes the row the result set is on; {@code row} is its 0-based index over all files read.
     */
    T decode(ResultSet resultSet, long row) throws SQLException;
  }
}
