package io.rge.core.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Objects;
import java.util.zip.CRC32;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageFilesTest {
  @TempDir Path dir;

  private static byte[] resource(String name) throws IOException {
    try (InputStream in =
        Objects.requireNonNull(ImageFilesTest.class.getResourceAsStream(name), name)) {
      return in.readAllBytes();
    }
  }

  @Test
  void readsAFileWithinTheLimitAsImageIoDoes() throws IOException {
    Path file = dir.resolve("image1.png");
    Files.write(file, resource("/fixtures/qwen25vl-tiny/image1.png"));
    BufferedImage image = ImageFiles.read(file, 140 * 112);
    BufferedImage plain = ImageIO.read(file.toFile());
    assertEquals(140, image.getWidth());
    assertEquals(112, image.getHeight());
    for (int y = 0; y < 112; y += 7) {
      for (int x = 0; x < 140; x += 3) {
        assertEquals(plain.getRGB(x, y), image.getRGB(x, y));
      }
    }
  }

  @Test
  void refusesAnImageOneePixelOverTheLimit() throws IOException {
    Path file = dir.resolve("image1.png");
    Files.write(file, resource("/fixtures/qwen25vl-tiny/image1.png"));
    InvalidImageException e =
        assertThrows(InvalidImageException.class, () -> ImageFiles.read(file, 140 * 112 - 1));
    assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
    assertTrue(e.getMessage().contains("140x112"), e.getMessage());
  }

  @Test
  void refusesADecompressionBombFromItsHeaderAlone() throws IOException {
    // A PNG header declaring 100000 x 100000 RGB pixels (30 GB decoded) and no pixel data at all:
    // the limit must trip before any decoding is attempted.
    byte[] bomb = pngHeaderOnly(100_000, 100_000);
    InvalidImageException e =
        assertThrows(
            InvalidImageException.class,
            () ->
                ImageFiles.read(
                    new ByteArrayInputStream(bomb), "bomb.png", ImageFiles.DEFAULT_MAX_PIXELS));
    assertTrue(e.getMessage().startsWith("bomb.png:"), e.getMessage());
    assertTrue(e.getMessage().contains("decompression bomb"), e.getMessage());
  }

  @Test
  void rejectsBytesThatAreNoImage() {
    byte[] junk = "definitely not an image".getBytes(StandardCharsets.UTF_8);
    InvalidImageException e =
        assertThrows(
            InvalidImageException.class,
            () -> ImageFiles.read(new ByteArrayInputStream(junk), "junk.bin", 1000));
    assertTrue(e.getMessage().startsWith("junk.bin:"), e.getMessage());
  }

  @Test
  void rejectsATruncatedPng() throws IOException {
    byte[] png = resource("/fixtures/image-processor/resize1.png");
    Path file = dir.resolve("cut.png");
    Files.write(file, Arrays.copyOf(png, png.length / 2));
    InvalidImageException e =
        assertThrows(InvalidImageException.class, () -> ImageFiles.read(file, 1_000_000));
    assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
    assertTrue(e.getMessage().contains("corrupt"), e.getMessage());
  }

  @Test
  void rejectsATruncatedJpegThatImageIoWouldPadSilently() throws IOException {
    BufferedImage source =
        ImageIO.read(new ByteArrayInputStream(resource("/fixtures/image-processor/resize1.png")));
    BufferedImage rgb =
        new BufferedImage(source.getWidth(), source.getHeight(), BufferedImage.TYPE_INT_RGB);
    rgb.getGraphics().drawImage(source, 0, 0, null);
    ByteArrayOutputStream jpeg = new ByteArrayOutputStream();
    assertTrue(ImageIO.write(rgb, "jpg", jpeg));
    byte[] cut = Arrays.copyOf(jpeg.toByteArray(), jpeg.size() / 2);
    InvalidImageException e =
        assertThrows(
            InvalidImageException.class,
            () -> ImageFiles.read(new ByteArrayInputStream(cut), "cut.jpg", 1_000_000));
    assertTrue(e.getMessage().startsWith("cut.jpg:"), e.getMessage());
  }

  @Test
  void namesAMissingFile() {
    Path missing = dir.resolve("nope.png");
    NoSuchFileException e =
        assertThrows(NoSuchFileException.class, () -> ImageFiles.read(missing, 100));
    assertTrue(e.getMessage().contains("nope.png"), e.getMessage());
  }

  /** PNG signature + IHDR (8-bit RGB) + IEND, with valid CRCs. */
  private static byte[] pngHeaderOnly(int width, int height) {
    ByteBuffer ihdr = ByteBuffer.allocate(13);
    ihdr.putInt(width)
        .putInt(height)
        .put((byte) 8)
        .put((byte) 2)
        .put((byte) 0)
        .put((byte) 0)
        .put((byte) 0);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'});
    chunk(out, "IHDR", ihdr.array());
    chunk(out, "IEND", new byte[0]);
    return out.toByteArray();
  }

  private static void chunk(ByteArrayOutputStream out, String type, byte[] data) {
    byte[] typeBytes = type.getBytes(StandardCharsets.US_ASCII);
    CRC32 crc = new CRC32();
    crc.update(typeBytes);
    crc.update(data);
    out.writeBytes(ByteBuffer.allocate(4).putInt(data.length).array());
    out.writeBytes(typeBytes);
    out.writeBytes(data);
    out.writeBytes(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
  }
}
