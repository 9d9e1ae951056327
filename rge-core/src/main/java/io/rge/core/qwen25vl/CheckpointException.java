package io.rge.core.qwen25vl;

/**
 * A model checkpoint (its {@code config.json} or weights) is missing something, inconsistent with
 * the Qwen2.5-VL architecture, or unsupported. The message names the file and the field or tensor.
 */
public final class CheckpointException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public CheckpointException(String message) {
    super(message);
  }

  public CheckpointException(String message, Throwable cause) {
    super(message, cause);
  }
}
