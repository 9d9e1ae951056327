package io.rge.core.image;

/** An image size in pixels. */
public record ImageSize(int height, int width) {

  public ImageSize {
    if (height <= 0 || width <= 0) {
      throw new IllegalArgumentException(
          "image size must be positive, got " + width + "x" + height + " (width x height)");
    }
  }

  public long pixels() {
    return (long) height * width;
  }
}
