package io.rge.data.mmeb;

import io.rge.data.RgeDataException;
import java.nio.file.Path;

/** A parquet file whose columns are not the MMEB schema: a column missing or of the wrong type. */
public final class ParquetSchemaException extends RgeDataException {
  private static final long serialVersionUID = 1L;
  private final transient Path file;

  public ParquetSchemaException(Path file, String problem) {
    super(file + ": " + problem);
    this.file = file;
  }

  public Path file() {
    return file;
  }
}
