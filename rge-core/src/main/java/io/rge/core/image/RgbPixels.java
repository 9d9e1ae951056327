package io.rge.core.image;

import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.ComponentColorModel;
import java.awt.image.DirectColorModel;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;

/**
 * Converts a decoded image to 8-bit RGB the way PIL's {@code Image.convert("RGB")} does, which is
 * what transformers applies to every non-RGB image.
 *
 * <p>Alpha is dropped, not composited onto a background. Palette images take their palette colour.
 * Grey images repeat the grey level in all three channels; the stored sample is used as is (Java's
 * {@code getRGB} would pass a grey image through a linear-to-sRGB conversion and brighten it, which
 * PIL never does). 16-bit grey is clipped to 255 (PIL's {@code I;16 → RGB}); 16-bit colour and
 * 16-bit grey with alpha keep the high byte (PIL decodes such PNGs that way). Other colour models
 * (CMYK, custom colour spaces, premultiplied alpha) go through Java's colour conversion to sRGB.
 */
final class RgbPixels {
  private RgbPixels() {}

  /** Returns {@code [height, width, 3]} uint8, row-major. */
  static byte[] of(BufferedImage image) {
    int w = image.getWidth();
    int h = image.getHeight();
    byte[] out = new byte[Math.multiplyExact(Math.multiplyExact(w, h), 3)];
    ColorModel cm = image.getColorModel();
    Raster raster = image.getRaster();
    if (cm instanceof IndexColorModel icm) {
      fromPalette(raster, icm, w, h, out);
    } else if (isPlain(cm, ColorSpace.TYPE_GRAY, 1)) {
      fromGrey(raster, cm.getComponentSize(0), cm.hasAlpha(), w, h, out);
    } else if (isPlain(cm, ColorSpace.TYPE_RGB, 3)) {
      fromRgbBands(raster, cm.getComponentSize(0), w, h, out);
    } else {
      fromSrgb(image, w, h, out);
    }
    return out;
  }

  /** Component or packed model, not premultiplied, in the given colour space, all samples alike. */
  private static boolean isPlain(ColorModel cm, int spaceType, int colourComponents) {
    if (!(cm instanceof ComponentColorModel || cm instanceof DirectColorModel)) {
      return false;
    }
    if (cm.isAlphaPremultiplied()
        || cm.getColorSpace().getType() != spaceType
        || cm.getNumColorComponents() != colourComponents) {
      return false;
    }
    if (spaceType == ColorSpace.TYPE_RGB && !cm.getColorSpace().isCS_sRGB()) {
      return false;
    }
    int bits = cm.getComponentSize(0);
    for (int c = 0; c < colourComponents; c++) {
      if (cm.getComponentSize(c) != bits || (bits != 8 && bits != 16)) {
        return false;
      }
    }
    return true;
  }

  private static void fromPalette(Raster raster, IndexColorModel icm, int w, int h, byte[] out) {
    int[] row = new int[w];
    int o = 0;
    for (int y = 0; y < h; y++) {
      raster.getSamples(0, y, w, 1, 0, row);
      for (int x = 0; x < w; x++) {
        int index = row[x];
        out[o++] = (byte) icm.getRed(index);
        out[o++] = (byte) icm.getGreen(index);
        out[o++] = (byte) icm.getBlue(index);
      }
    }
  }

  private static void fromGrey(Raster raster, int bits, boolean alpha, int w, int h, byte[] out) {
    // PIL opens 16-bit grey as I;16 (clipped when converted) but 16-bit grey+alpha as LA (high
    // byte).
    boolean clip = bits == 16 && !alpha;
    int shift = bits == 16 && alpha ? 8 : 0;
    int[] row = new int[w];
    int o = 0;
    for (int y = 0; y < h; y++) {
      raster.getSamples(0, y, w, 1, 0, row);
      for (int x = 0; x < w; x++) {
        int v = clip ? Math.min(row[x], 255) : row[x] >> shift;
        out[o++] = (byte) v;
        out[o++] = (byte) v;
        out[o++] = (byte) v;
      }
    }
  }

  private static void fromRgbBands(Raster raster, int bits, int w, int h, byte[] out) {
    int shift = bits == 16 ? 8 : 0;
    int[] row = new int[w];
    for (int band = 0; band < 3; band++) {
      for (int y = 0; y < h; y++) {
        raster.getSamples(0, y, w, 1, band, row);
        int o = y * w * 3 + band;
        for (int x = 0; x < w; x++, o += 3) {
          out[o] = (byte) (row[x] >> shift);
        }
      }
    }
  }

  private static void fromSrgb(BufferedImage image, int w, int h, byte[] out) {
    int[] row = new int[w];
    int o = 0;
    for (int y = 0; y < h; y++) {
      image.getRGB(0, y, w, 1, row, 0, w);
      for (int x = 0; x < w; x++) {
        int argb = row[x];
        out[o++] = (byte) (argb >> 16);
        out[o++] = (byte) (argb >> 8);
        out[o++] = (byte) argb;
      }
    }
  }
}
