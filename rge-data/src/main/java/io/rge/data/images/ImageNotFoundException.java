package io.rge.data.images;

import io.rge.data.RgeDataException;

/** An image a row references that the image store does not hold. */
public final class ImageNotFoundException extends RgeDataException {
  private static final long serialVersionUID = 1L;
  private final String path;

  public ImageNotFoundException(String path, String store) {
    super("image '" + path + "' not found in " + store);
    this.path = path;
  }

  public ImageNotFoundException(String dataset, long row, String path, String store) {
    super("dataset " + dataset + ", row " + row + ": image '" + path + "' not found in " + store);
    this.path = path;
  }

  public String path() {
    return path;
  }
}
