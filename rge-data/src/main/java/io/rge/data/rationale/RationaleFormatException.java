package io.rge.data.rationale;

import io.rge.data.RgeDataException;
import java.nio.file.Path;

/**
 * A rationale file line that is malformed, duplicated, out of range, empty or misaligned with the
 * parquet rows.
 */
public final class RationaleFormatException extends RgeDataException {
  private static final long serialVersionUID = 1L;
  private final transient Path file;
  private final long line;

  public RationaleFormatException(Path file, long line, String problem) {
    super(file + ", line " + line + ": " + problem);
    this.file = file;
    this.line = line;
  }

  public Path file() {
    return file;
  }

  /** 1-based line number. */
  public long line() {
    return line;
  }
}
