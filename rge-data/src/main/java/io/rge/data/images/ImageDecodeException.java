package io.rge.data.images;

import io.rge.data.RgeDataException;

/** Image bytes that cannot be decoded: corrupt, truncated or of an unsupported format. */
public class ImageDecodeException extends RgeDataException {
  private static final long serialVersionUID = 1L;

  public ImageDecodeException(String message) {
    super(message);
  }

  public ImageDecodeException(String message, Throwable cause) {
    super(message, cause);
  }
}
