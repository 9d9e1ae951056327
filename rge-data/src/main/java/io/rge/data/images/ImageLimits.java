package io.rge.data.images;

import java.io.Serializable;

/**
 * Limits applied before an image is decoded; one set for every command ({@code eval}, {@code
 * train}, {@code embed}, {@code data inspect}). Serializable: distributed evaluation (rge-spark)
 * ships it to its executors.
 *
 * @param maxPixels largest width x height accepted, read from the header; the default matches PIL's
 *     MAX_IMAGE_PIXELS (89,478,485), the limit the Python MMEB tooling runs under
 * @param resizeTarget the most pixels the image will be resized to after decoding (the image
 *     processor's {@code max_pixels}), or 0 when it is used at full size: a larger image is decoded
 *     with source subsampling, never held at full size
 */
public record ImageLimits(long maxPixels, long resizeTarget) implements Serializable {
  public static final long DEFAULT_MAX_PIXELS = 89_478_485L;

  public ImageLimits {
    if (maxPixels < 1) {
      throw new IllegalArgumentException("maxPixels must be positive, got " + maxPixels);
    }
    if (resizeTarget < 0) {
      throw new IllegalArgumentException("resizeTarget must be >= 0, got " + resizeTarget);
    }
  }

  /** A pixel limit, images decoded at full size. */
  public ImageLimits(long maxPixels) {
    this(maxPixels, 0);
  }

  public static ImageLimits defaults() {
    return new ImageLimits(DEFAULT_MAX_PIXELS);
  }

  /** These limits for images that are then resized to at most {@code pixels} pixels. */
  public ImageLimits resizedTo(long pixels) {
    return new ImageLimits(maxPixels, pixels);
  }

  /**
   * The source subsampling step for a {@code width × height} image: the largest step that still
   * leaves at least twice the resize target's side, so the resampler keeps its detail while the
   * decoded image stays under 16 × the target's pixels; 1 (every pixel) without a target.
   */
  public int subsampling(int width, int height) {
    if (resizeTarget == 0) {
      return 1;
    }
    double sideRatio = Math.sqrt((double) width * height / resizeTarget);
    return Math.max(1, (int) Math.floor(sideRatio / 2));
  }
}
