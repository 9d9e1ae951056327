package io.rge.core.image;

import java.io.IOException;

/** An image that cannot or must not be decoded: corrupt, unsupported, or over the pixel limit. */
public final class InvalidImageException extends IOException {
  public InvalidImageException(String message) {
    super(message);
  }

  public InvalidImageException(String message, Throwable cause) {
    super(message, cause);
  }
}
