package io.rge.core.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.awt.image.BufferedImage;
import java.awt.image.IndexColorModel;
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
  void sixteenBitGreyClipsLikePilAndSixteenBitColourKeepsTheHighByte() {
    BufferedImage grey16 = new BufferedImage(2, 1, BufferedImage.TYPE_USHORT_GRAY);
    grey16.getRaster().setSample(0, 0, 0, 200);
    grey16.getRaster().setSample(1, 0, 0, 40000);
    assertArrayEquals(bytes(200, 200, 200, 255, 255, 255), RgbPixels.of(grey16));
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
