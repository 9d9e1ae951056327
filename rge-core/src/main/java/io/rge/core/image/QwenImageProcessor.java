package io.rge.core.image;

import java.awt.image.BufferedImage;

/**
 * Qwen2-VL / Qwen2.5-VL image preprocessing, bit-exact with transformers 5's {@code
 * Qwen2VLImageProcessor} (its default, torchvision backend, on CPU): RGB conversion, {@link
 * SmartResize smart resize}, antialiased bicubic resampling ({@link BicubicResampler}), rescale and
 * normalisation, duplication of the still image over the temporal patch, and flattening into
 * patches in Qwen's order.
 *
 * <p>Output rows enumerate patches as {@code [t, h/merge, w/merge, merge, merge]}, so the {@code
 * merge × merge} patches that the vision merger fuses into one token are consecutive. Thread-safe.
 */
public final class QwenImageProcessor {
  private final ImageProcessorConfig config;
  private final float[] offset = new float[3];
  private final float[] divisor = new float[3];
  private final float scale;

  public QwenImageProcessor(ImageProcessorConfig config) {
    this.config = config;
    this.scale = (float) config.rescaleFactor();
    for (int c = 0; c < 3; c++) {
      float mean = (float) (double) config.imageMean().get(c);
      float std = (float) (double) config.imageStd().get(c);
      if (config.doRescale() && config.doNormalize()) {
        // transformers fuses the two steps: (x - mean/scale) / (std/scale), all in float32.
        float toPixels = (float) (1.0 / config.rescaleFactor());
        offset[c] = mean * toPixels;
        divisor[c] = std * toPixels;
      } else {
        offset[c] = mean;
        divisor[c] = std;
      }
    }
  }

  public ImageProcessorConfig config() {
    return config;
  }

  /** The size an image of the given size is resized to (itself when resizing is off). */
  public ImageSize targetSize(int height, int width) {
    if (!config.doResize()) {
      return new ImageSize(height, width);
    }
    return SmartResize.fit(height, width, config.factor(), config.minPixels(), config.maxPixels());
  }

  /** The patch grid of an image of the given size, without processing it. */
  public ImageGrid grid(int height, int width) {
    ImageSize size = targetSize(height, width);
    int p = config.patchSize();
    int unit = config.factor();
    if (size.height() % unit != 0 || size.width() % unit != 0) {
      throw new IllegalArgumentException(
          "image of "
              + size.width()
              + "x"
              + size.height()
              + " is not a multiple of patch x merge = "
              + unit
              + " (turn resizing on or pre-size the image)");
    }
    return new ImageGrid(1, size.height() / p, size.width() / p);
  }

  /** Processes one still image. */
  public ProcessedImage process(BufferedImage image) {
    int inH = image.getHeight();
    int inW = image.getWidth();
    ImageGrid grid = grid(inH, inW);
    ImageSize size = targetSize(inH, inW);
    byte[] rgb = RgbPixels.of(image);
    if (size.height() != inH || size.width() != inW) {
      rgb = BicubicResampler.resize(rgb, inW, inH, size.width(), size.height());
    }
    float[] planes = normalise(rgb, size.height() * size.width());
    return new ProcessedImage(
        toPatches(planes, size.width(), grid), grid, config.patchVectorSize());
  }

  /** {@code [H·W·3]} uint8 → {@code [3, H·W]} float32, rescaled and normalised. */
  private float[] normalise(byte[] rgb, int pixels) {
    float[] planes = new float[3 * pixels];
    boolean rescale = config.doRescale();
    boolean normalise = config.doNormalize();
    for (int c = 0; c < 3; c++) {
      float off = offset[c];
      float div = divisor[c];
      int base = c * pixels;
      for (int i = 0; i < pixels; i++) {
        float v = rgb[i * 3 + c] & 0xff;
        if (normalise) {
          v = (v - off) / div;
        } else if (rescale) {
          v = v * scale;
        }
        planes[base + i] = v;
      }
    }
    return planes;
  }

  private float[] toPatches(float[] planes, int width, ImageGrid grid) {
    int p = config.patchSize();
    int m = config.mergeSize();
    int tp = config.temporalPatchSize();
    int d = config.patchVectorSize();
    int pixels = planes.length / 3;
    float[] out = new float[grid.patches() * d];
    int row = 0;
    // A still image fills every temporal slot of the single temporal patch (grid t = 1).
    for (int bh = 0; bh < grid.h() / m; bh++) {
      for (int bw = 0; bw < grid.w() / m; bw++) {
        for (int mh = 0; mh < m; mh++) {
          for (int mw = 0; mw < m; mw++) {
            int y0 = (bh * m + mh) * p;
            int x0 = (bw * m + mw) * p;
            int o = row * d;
            for (int c = 0; c < 3; c++) {
              for (int t = 0; t < tp; t++) {
                for (int py = 0; py < p; py++) {
                  System.arraycopy(planes, c * pixels + (y0 + py) * width + x0, out, o, p);
                  o += p;
                }
              }
            }
            row++;
          }
        }
      }
    }
    return out;
  }
}
