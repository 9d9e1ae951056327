package io.rge.data.mmeb;

import io.rge.data.DuckDb;
import io.rge.data.RgeDataException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * Rows of one dataset or subset, streamed from its parquet files in order through DuckDB. Only the
 * current JDBC fetch chunk is held, so a million-row file never sits in memory. Row indices are
 * 0-based and run on across files. Single use and not thread-safe; close it (try-with-resources) to
 * release the DuckDB connection.
 *
 * <p>Schema errors surface as {@link ParquetSchemaException} when a file is reached, row errors as
 * {@link RowFormatException} when the row is read.
 *
 * @param <T> the row type ({@link EvalRow} or {@link TrainRow})
 */
public final class RowStream<T> implements Iterator<T>, AutoCloseable {
  private final List<Path> files;
  private final ParquetRowFormat<T> format;
  private final ReadOptions options;
  private final Connection connection;
  private int nextFile;
  private Statement statement;
  private ResultSet resultSet;
  private ParquetRowFormat.FileBinding<T> binding;
  private Path currentFile;
  private Map<String, String> currentTypes;
  private long fileFirstRow;
  private long nextRow;
  private boolean positioned;
  private boolean exhausted;

  RowStream(List<Path> files, ParquetRowFormat<T> format, ReadOptions options) {
    if (files.isEmpty()) {
      throw new IllegalArgumentException("no parquet files to read");
    }
    for (Path file : files) {
      if (!Files.isRegularFile(file)) {
        throw new RgeDataException("parquet file not found: " + file);
      }
      ParquetFiles.requireParquet(file);
    }
    this.files = List.copyOf(files);
    this.format = format;
    this.options = options;
    this.connection = DuckDb.open();
  }

  /** The file the last row came from (null before the first). */
  public Path currentFile() {
    return currentFile;
  }

  /** The files read, in order. */
  public List<Path> files() {
    return files;
  }

  @Override
  public boolean hasNext() {
    if (!positioned && !exhausted) {
      positioned = advance();
      exhausted = !positioned;
    }
    return positioned;
  }

  @Override
  public T next() {
    if (!hasNext()) {
      throw new NoSuchElementException("no more rows in " + files);
    }
    positioned = false;
    long row = nextRow++;
    try {
      try {
        return binding.decode(resultSet, row);
      } catch (JoinedListMismatch e) {
        reopenWithPlainLists(row - fileFirstRow);
        return binding.decode(resultSet, row);
      }
    } catch (RowFormatException e) {
      throw e.inFile(currentFile);
    } catch (SQLException e) {
      throw new RgeDataException(
          "cannot read row " + row + " of " + currentFile + ": " + DuckDb.message(e), e);
    }
  }

  /** Up to {@link ReadOptions#batchSize()} next rows; empty once every file is read. */
  public List<T> nextBatch() {
    List<T> batch = new ArrayList<>(Math.min(options.batchSize(), 4096));
    while (batch.size() < options.batchSize() && hasNext()) {
      batch.add(next());
    }
    return batch;
  }

  /** The remaining rows as a sequential stream; closing the stream closes this. */
  public Stream<T> stream() {
    return StreamSupport.stream(
            Spliterators.spliteratorUnknownSize(this, Spliterator.ORDERED), false)
        .onClose(this::close);
  }

  /** Rows handed out so far (equals the next row's index). */
  public long rowsRead() {
    return nextRow;
  }

  @Override
  public void close() {
    closeFile();
    try {
      connection.close();
    } catch (SQLException e) {
      throw new RgeDataException("cannot close DuckDB connection: " + DuckDb.message(e), e);
    }
  }

  private boolean advance() {
    try {
      while (true) {
        if (resultSet != null) {
          if (resultSet.next()) {
            return true;
          }
          closeFile();
        }
        if (nextFile >= files.size()) {
          return false;
        }
        openFile(files.get(nextFile++));
      }
    } catch (SQLException e) {
      throw new RgeDataException("cannot read " + currentFile + ": " + DuckDb.message(e), e);
    }
  }

  private void openFile(Path file) throws SQLException {
    currentFile = file;
    currentTypes = columnTypes(file);
    fileFirstRow = nextRow;
    binding = format.bind(file, currentTypes, false);
    statement = connection.createStatement();
    statement.setFetchSize(options.batchSize());
    resultSet =
        statement.executeQuery(
            "SELECT " + binding.selectList() + " FROM read_parquet(" + DuckDb.literal(file) + ")");
  }

  /**
   * Re-reads the current file from its row {@code fromRow} on, fetching list columns as plain
   * arrays.
   */
  private void reopenWithPlainLists(long fromRow) throws SQLException {
    closeFile();
    binding = format.bind(currentFile, currentTypes, true);
    statement = connection.createStatement();
    statement.setFetchSize(options.batchSize());
    resultSet =
        statement.executeQuery(
            "SELECT "
                + binding.selectList()
                + " FROM read_parquet("
                + DuckDb.literal(currentFile)
                + ", file_row_number = true) WHERE file_row_number >= "
                + fromRow);
    if (!resultSet.next()) {
      throw new RgeDataException(currentFile + ": row " + fromRow + " vanished when re-read");
    }
  }

  private Map<String, String> columnTypes(Path file) {
    Map<String, String> types = new LinkedHashMap<>();
    try (Statement describe = connection.createStatement();
        ResultSet rs =
            describe.executeQuery(
                "DESCRIBE SELECT * FROM read_parquet(" + DuckDb.literal(file) + ")")) {
      while (rs.next()) {
        types.put(rs.getString("column_name"), rs.getString("column_type"));
      }
    } catch (SQLException e) {
      throw new ParquetSchemaException(file, "not a readable parquet file: " + DuckDb.message(e));
    }
    return types;
  }

  private void closeFile() {
    try {
      if (resultSet != null) {
        resultSet.close();
      }
      if (statement != null) {
        statement.close();
      }
    } catch (SQLException e) {
      throw new RgeDataException(
          "cannot close result of " + currentFile + ": " + DuckDb.message(e), e);
    } finally {
      resultSet = null;
      statement = null;
    }
  }
}
