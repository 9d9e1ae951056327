package io.rge.data.images;

/**
 * Limits applied before an image is decoded.
 *
 * @param maxPixels largest width x height accepted, read from the header; the default matches PIL's
 *     MAX_IMAGE_PIXELS (89,478,485), the limit the Python MMEB tooling runs under
 */
public record ImageLimits(long maxPixels) {
  public static final long DEFAULT_MAX_PIXELS = 89_478_485L;

  public ImageLimits {
    if (maxPixels < 1) {
      throw new IllegalArgumentException("maxPixels must be positive, got " + maxPixels);
    }
  }

  public static ImageLimits defaults() {
    return new ImageLimits(DEFAULT_MAX_PIXELS);
  }
}
