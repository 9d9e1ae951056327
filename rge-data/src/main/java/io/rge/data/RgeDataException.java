package io.rge.data;

/**
 * Base of every error rge-data raises for bad input: a malformed parquet file, an unsafe or missing
 * image path, a misaligned rationale file. The message always names the file, dataset, row or field
 * at fault and what was expected, so callers can show it to the user as it is.
 */
public class RgeDataException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public RgeDataException(String message) {
    super(message);
  }

  public RgeDataException(String message, Throwable cause) {
    super(message, cause);
  }
}
