package io.rge.core.image;

/**
 * Qwen2-VL's {@code smart_resize}: the size an image is resized to before it is cut into patches.
 *
 * <p>Both sides become multiples of {@code factor} (patch × merge = 28), the pixel count is kept
 * within {@code [minPixels, maxPixels]} and the aspect ratio is kept as closely as possible. The
 * arithmetic follows transformers 5 operation by operation (Python's {@code round} is half-even,
 * like {@link Math#rint}; integer products are exact), so the grid matches for every size.
 */
public final class SmartResize {
  private static final double MAX_ASPECT_RATIO = 200;

  private SmartResize() {}

  /**
   * @throws IllegalArgumentException if a side is not positive or the aspect ratio exceeds 200
   */
  public static ImageSize fit(int height, int width, int factor, long minPixels, long maxPixels) {
    if (height <= 0 || width <= 0) {
      throw new IllegalArgumentException(
          "image size must be positive, got " + width + "x" + height + " (width x height)");
    }
    if (factor <= 0) {
      throw new IllegalArgumentException("resize factor must be > 0, got " + factor);
    }
    double ratio = (double) Math.max(height, width) / Math.min(height, width);
    if (ratio > MAX_ASPECT_RATIO) {
      throw new IllegalArgumentException(
          "absolute aspect ratio must be at most 200, got "
              + ratio
              + " for a "
              + width
              + "x"
              + height
              + " image");
    }
    long hBar = (long) Math.rint((double) height / factor) * factor;
    long wBar = (long) Math.rint((double) width / factor) * factor;
    long area = (long) height * width;
    if (hBar * wBar > maxPixels) {
      double beta = Math.sqrt((double) area / maxPixels);
      hBar = Math.max(factor, (long) Math.floor(height / beta / factor) * factor);
      wBar = Math.max(factor, (long) Math.floor(width / beta / factor) * factor);
    } else if (hBar * wBar < minPixels) {
      double beta = Math.sqrt((double) minPixels / area);
      hBar = (long) Math.ceil(height * beta / factor) * factor;
      wBar = (long) Math.ceil(width * beta / factor) * factor;
    }
    if (hBar > Integer.MAX_VALUE || wBar > Integer.MAX_VALUE) {
      throw new IllegalArgumentException(
          "resized size " + wBar + "x" + hBar + " is too large (min_pixels " + minPixels + ")");
    }
    return new ImageSize((int) hBar, (int) wBar);
  }
}
