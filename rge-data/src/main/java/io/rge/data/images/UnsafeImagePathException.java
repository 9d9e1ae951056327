package io.rge.data.images;

import io.rge.data.RgeDataException;

/**
 * An image path that could escape the image root: {@code ..}, absolute, a drive letter or a
 * backslash.
 */
public final class UnsafeImagePathException extends RgeDataException {
  private static final long serialVersionUID = 1L;

  public UnsafeImagePathException(String path, String reason) {
    super(
        "unsafe image path '" + path + "': " + reason + "; paths must stay inside the image root");
  }
}
