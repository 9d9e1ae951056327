package io.rge.data.mmeb;

import io.rge.data.RgeDataException;
import java.nio.file.Path;

/**
 * A row whose values break the MMEB format (placeholder mismatch, null text, unequal candidate
 * lists).
 */
public final class RowFormatException extends RgeDataException {
  private static final long serialVersionUID = 1L;
  private final String dataset;
  private final long row;
  private final String column;

  public RowFormatException(String dataset, long row, String column, String problem) {
    super("dataset " + dataset + ", row " + row + ", column " + column + ": " + problem);
    this.dataset = dataset;
    this.row = row;
    this.column = column;
  }

  private RowFormatException(String message, RowFormatException cause) {
    super(message, cause);
    this.dataset = cause.dataset;
    this.row = cause.row;
    this.column = cause.column;
  }

  /** The same problem, its message naming the parquet file the row came from. */
  public RowFormatException inFile(Path file) {
    return new RowFormatException(file + ": " + getMessage(), this);
  }

  public String dataset() {
    return dataset;
  }

  public long row() {
    return row;
  }

  public String column() {
    return column;
  }
}
