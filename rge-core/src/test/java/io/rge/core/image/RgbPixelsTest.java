package io.rge.core.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.awt.Transparency;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ComponentColorModel;
import java.awt.image.DataBuffer;
import java.awt.image.IndexColorModel;
import java.awt.image.WritableRaster;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

/** PIL's {@code convert("RGB")}: expected bytes are what PIL produces for the same pixels. */
class RgbPixelsTest {

  @Test
  void greyRepeatsTheStoredLevelWithoutGammaConversion() throws IOException {
    BufferedImage grey = new BufferedImage(2, 1, BufferedImage.TYPE_BYTE_GRAY);
    grey.getRaster().setSample(0, 0, 0, 100);
    grey.getRaster().setSample(1, 0, 0, 3);
    assertArrayEquals(bytes(100, 100, 100, 3, 3, 3), RgbPixels.of(grey));
    // The same through a PNG file, as a dataset image would arrive.
    assertArrayEquals(bytes(100, 100, 100, 3, 3, 3), RgbPixels.of(roundTripPng(grey)));
  }

  @Test
  void alphaIsDroppedNotComposited() {
    BufferedImage argb = new BufferedImage(2, 1, BufferedImage.TYPE_INT_ARGB);
    argb.setRGB(0, 0, 0x00_0a_14_1e); // fully transparent (10, 20, 30)
    argb.setRGB(1, 0, 0x80_ff_00_7f);
    assertArrayEquals(bytes(10, 20, 30, 255, 0, 127), RgbPixels.of(argb));
  }

  @Test
  void paletteIndicesBecomeTheirColours() throws IOException {
    byte[] r = {0, (byte) 250, 9};
    byte[] g = {0, 5, (byte) 200};
    byte[] b = {0, 6, 1};
    IndexColorModel palette = new IndexColorModel(2, 3, r, g, b);
    BufferedImage indexed = new BufferedImage(3, 1, BufferedImage.TYPE_BYTE_BINARY, palette);
    indexed.getRaster().setSample(0, 0, 0, 2);
    indexed.getRaster().setSample(1, 0, 0, 1);
    indexed.getRaster().setSample(2, 0, 0, 0);
    byte[] want = bytes(9, 200, 1, 250, 5, 6, 0, 0, 0);
    assertArrayEquals(want, RgbPixels.of(indexed));
    assertArrayEquals(want, RgbPixels.of(roundTripPng(indexed)));
  }

  @Test
  void sixteenBitGreyClipsLikePil() {
    BufferedImage grey16 = new BufferedImage(2, 1, BufferedImage.TYPE_USHORT_GRAY);
    grey16.getRaster().setSample(0, 0, 0, 200);
    grey16.getRaster().setSample(1, 0, 0, 40000);
    assertArrayEquals(bytes(200, 200, 200, 255, 255, 255), RgbPixels.of(grey16));
  }

  @Test
  void sixteenBitColourKeepsTheHighByte() throws IOException {
    BufferedImage rgb16 = sixteenBit(ColorSpace.CS_sRGB, false, 2);
    assertEquals(16, rgb16.getColorModel().getComponentSize(0), "really 16 bits per sample");
    // 0x1234 → 0x12, 0xabcd → 0xab, 0x00ff → 0x00; 0xffff → 0xff, 0x0100 → 0x01, 0x80ff → 0x80.
    setPixel(rgb16, 0, 0x1234, 0xabcd, 0x00ff);
    setPixel(rgb16, 1, 0xffff, 0x0100, 0x80ff);
    byte[] want = bytes(0x12, 0xab, 0x00, 0xff, 0x01, 0x80);
    assertArrayEquals(want, RgbPixels.of(rgb16));
    BufferedImage png = roundTripPng(rgb16);
    assertEquals(16, png.getColorModel().getComponentSize(0), "the PNG stays 16-bit");
    assertArrayEquals(want, RgbPixels.of(png));

    BufferedImage rgba16 = sixteenBit(ColorSpace.CS_sRGB, true, 1);
    setPixel(rgba16, 0, 0x1234, 0xabcd, 0x00ff);
    rgba16.getRaster().setSample(0, 0, 3, 0x0001); // alpha dropped, not composited
    assertArrayEquals(bytes(0x12, 0xab, 0x00), RgbPixels.of(rgba16));
  }

  @Test
  void sixteenBitGreyWithAlphaKeepsTheHighByte() {
    BufferedImage la16 = sixteenBit(ColorSpace.CS_GRAY, true, 1);
    la16.getRaster().setSample(0, 0, 0, 40000); // 40000 >> 8 = 156
    la16.getRaster().setSample(0, 0, 1, 0xffff);
    assertArrayEquals(bytes(156, 156, 156), RgbPixels.of(la16));
  }

  /**
   * A {@code width × 1} image of 16-bit unsigned samples in {@code space}, optionally with alpha.
   */
  private static BufferedImage sixteenBit(int space, boolean alpha, int width) {
    ComponentColorModel cm =
        new ComponentColorModel(
            ColorSpace.getInstance(space),
            alpha,
            false,
            alpha ? Transparency.TRANSLUCENT : Transparency.OPAQUE,
            DataBuffer.TYPE_USHORT);
    WritableRaster raster = cm.createCompatibleWritableRaster(width, 1);
    return new BufferedImage(cm, raster, false, null);
  }

  private static void setPixel(BufferedImage image, int x, int r, int g, int b) {
    image.getRaster().setSample(x, 0, 0, r);
    image.getRaster().setSample(x, 0, 1, g);
    image.getRaster().setSample(x, 0, 2, b);
  }

  @Test
  void bgrLayoutsComeOutAsRgb() {
    BufferedImage bgr = new BufferedImage(1, 1, BufferedImage.TYPE_3BYTE_BGR);
    bgr.setRGB(0, 0, 0xff_01_02_03);
    assertArrayEquals(bytes(1, 2, 3), RgbPixels.of(bgr));
  }

  private static BufferedImage roundTripPng(BufferedImage image) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ImageIO.write(image, "png", out);
    return ImageIO.read(new ByteArrayInputStream(out.toByteArray()));
  }

  private static byte[] bytes(int... values) {
    byte[] out = new byte[values.length];
    for (int i = 0; i < values.length; i++) {
      out[i] = (byte) values[i];
    }
    return out;
  }
}
