package io.rge.core.safetensors;

/**
 * A safetensors file or checkpoint folder is malformed, inconsistent or unsupported. The message
 * names the file and the tensor or field at fault.
 */
public final class SafetensorsException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public SafetensorsException(String message) {
    super(message);
  }

  public SafetensorsException(String message, Throwable cause) {
    super(message, cause);
  }
}
