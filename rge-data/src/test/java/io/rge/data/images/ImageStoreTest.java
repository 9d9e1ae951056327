package io.rge.data.images;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rge.data.TestFiles;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageStoreTest {
  @TempDir Path dir;

  /** A w x h image whose pixel (x, y) is rgb(x, y, 7), as PNG bytes. */
  static byte[] png(int w, int h) throws IOException {
    BufferedImage image = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        image.setRGB(x, y, (x << 16) | (y << 8) | 7);
      }
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ImageIO.write(image, "png", out);
    return out.toByteArray();
  }

  /**
   * A valid PNG whose IHDR claims {@code w} x {@code h} (CRC fixed up) while holding 1 x 1 pixel
   * data.
   */
  static byte[] lyingPng(int w, int h) throws IOException {
    byte[] bytes = png(1, 1);
    ByteBuffer buffer = ByteBuffer.wrap(bytes);
    // Signature (8) + IHDR length (4) + "IHDR" (4) -> width at 16, height at 20; CRC over type+data
    // at 29.
    buffer.putInt(16, w);
    buffer.putInt(20, h);
    CRC32 crc = new CRC32();
    crc.update(bytes, 12, 17);
    buffer.putInt(29, (int) crc.getValue());
    return bytes;
  }

  static void zip(Path file, Map<String, byte[]> entries) throws IOException {
    try (OutputStream out = Files.newOutputStream(file);
        ZipOutputStream zip = new ZipOutputStream(out)) {
      for (Map.Entry<String, byte[]> entry : entries.entrySet()) {
        zip.putNextEntry(new ZipEntry(entry.getKey()));
        zip.write(entry.getValue());
        zip.closeEntry();
      }
    }
  }

  private Path folderWithImages() throws IOException {
    Path root = dir.resolve("images");
    Files.createDirectories(root.resolve("Set/sub"));
    Files.write(root.resolve("Set/sub/a.png"), png(5, 3));
    Files.write(root.resolve("Set/corrupt.png"), "this is not an image".getBytes());
    Files.write(root.resolve("Set/bomb.png"), lyingPng(100_000, 100_000));
    return root;
  }

  private Path zipWithImages() throws IOException {
    Path file = dir.resolve("images.zip");
    Map<String, byte[]> entries = new TreeMap<>();
    entries.put("Set/sub/a.png", png(5, 3));
    entries.put("Set/corrupt.png", "this is not an image".getBytes());
    entries.put("Set/bomb.png", lyingPng(100_000, 100_000));
    entries.put("../evil.png", png(2, 2));
    entries.put("/abs.png", png(2, 2));
    zip(file, entries);
    return file;
  }

  @Test
  void folderAndZipServeTheSamePixels() throws IOException {
    Path folder = folderWithImages();
    Path archive = zipWithImages();
    TreeMap<String, List<Long>> before = TestFiles.snapshot(dir);
    for (ImageStore store :
        List.of(
            new FolderImageStore(folder, ImageLimits.defaults()),
            new ZipImageStore(archive, ImageLimits.defaults()))) {
      try (store) {
        assertTrue(store.contains("Set/sub/a.png"), store.describe());
        assertTrue(store.contains("./Set//sub/a.png"), "paths are normalised");
        assertFalse(store.contains("Set/sub/b.png"));
        BufferedImage image = store.load("Set/sub/a.png");
        assertEquals(5, image.getWidth());
        assertEquals(3, image.getHeight());
        assertEquals((4 << 16) | (2 << 8) | 7, image.getRGB(4, 2) & 0xffffff);

        ImageNotFoundException missing =
            assertThrows(ImageNotFoundException.class, () -> store.load("Set/none.png"));
        assertTrue(missing.getMessage().contains("Set/none.png"), missing.getMessage());

        ImageDecodeException corrupt =
            assertThrows(ImageDecodeException.class, () -> store.load("Set/corrupt.png"));
        assertTrue(corrupt.getMessage().contains("Set/corrupt.png"), corrupt.getMessage());

        ImageTooLargeException bomb =
            assertThrows(ImageTooLargeException.class, () -> store.load("Set/bomb.png"));
        assertTrue(bomb.getMessage().contains("100000x100000"), bomb.getMessage());
      }
    }
    assertEquals(before, TestFiles.snapshot(dir), "stores must not write next to the images");
  }

  @Test
  void pixelLimitIsConfigurable() throws IOException {
    Path folder = folderWithImages();
    try (ImageStore store = new FolderImageStore(folder, new ImageLimits(14))) {
      assertThrows(ImageTooLargeException.class, () -> store.load("Set/sub/a.png"));
    }
    try (ImageStore store = new FolderImageStore(folder, new ImageLimits(15))) {
      assertEquals(5, store.load("Set/sub/a.png").getWidth());
    }
  }

  @Test
  void anImageBoundForResizingIsDecodedSubsampledWithinABoundedMultipleOfItsTarget()
      throws IOException {
    Path file = dir.resolve("big.png");
    Files.write(file, png(2400, 1800));
    long target = 10_000; // the processor resizes to at most 10,000 pixels (about 115 x 86)
    BufferedImage full = new ImageDecoder(ImageLimits.defaults()).decode(file);
    BufferedImage small = new ImageDecoder(ImageLimits.defaults().resizedTo(target)).decode(file);
    assertEquals(2400, full.getWidth());
    long pixels = (long) small.getWidth() * small.getHeight();
    assertTrue(pixels <= 16 * target, small.getWidth() + "x" + small.getHeight());
    assertTrue(pixels >= 4 * target, "keeps twice the target's side for the resampler: " + pixels);
    assertEquals(2400.0 / 1800, (double) small.getWidth() / small.getHeight(), 0.01);
    // Every step-th pixel of the full decode, not a blend: the subsampled image is the source's.
    int step = 2400 / small.getWidth();
    assertEquals(full.getRGB(step * 7, step * 5), small.getRGB(7, 5));
  }

  @Test
  void aTruncatedJpegThatImageIoWouldPadWithGreyIsRefused() throws IOException {
    BufferedImage picture = ImageIO.read(new ByteArrayInputStream(png(64, 48)));
    ByteArrayOutputStream jpeg = new ByteArrayOutputStream();
    assertTrue(ImageIO.write(picture, "jpg", jpeg));
    Path cut = dir.resolve("cut.jpg");
    Files.write(cut, Arrays.copyOf(jpeg.toByteArray(), jpeg.size() / 2));
    ImageDecodeException e =
        assertThrows(
            ImageDecodeException.class, () -> new ImageDecoder(ImageLimits.defaults()).decode(cut));
    assertTrue(e.getMessage().contains(cut.toString()), e.getMessage());
  }

  @Test
  void zipSlipEntriesAreUnreachableAndEscapingPathsRejected() throws IOException {
    try (ZipImageStore store = new ZipImageStore(zipWithImages(), ImageLimits.defaults())) {
      assertEquals(2, store.unsafeEntries());
      for (String path :
          List.of("../evil.png", "/abs.png", "Set/../../evil.png", "Set\\sub\\a.png", "C:/x.png")) {
        assertThrows(UnsafeImagePathException.class, () -> store.contains(path), path);
        assertThrows(UnsafeImagePathException.class, () -> store.load(path), path);
      }
    }
  }

  @Test
  void folderRejectsEscapesIncludingThroughLinks() throws IOException {
    Path folder = folderWithImages();
    Files.write(dir.resolve("outside.png"), png(2, 2));
    Files.createSymbolicLink(folder.resolve("Set/link.png"), dir.resolve("outside.png"));
    try (ImageStore store = new FolderImageStore(folder, ImageLimits.defaults())) {
      assertThrows(UnsafeImagePathException.class, () -> store.load("../outside.png"));
      UnsafeImagePathException e =
          assertThrows(UnsafeImagePathException.class, () -> store.load("Set/link.png"));
      assertTrue(e.getMessage().contains("link"), e.getMessage());
    }
  }

  @Test
  void normaliseKeepsSafePathsAndExplainsRejections() {
    assertEquals("a/b/c.png", ImagePaths.normalise("a/./b//c.png"));
    assertEquals("a.png", ImagePaths.normalise("./a.png"));
    UnsafeImagePathException e =
        assertThrows(UnsafeImagePathException.class, () -> ImagePaths.normalise("a/../b.png"));
    assertTrue(e.getMessage().contains("'..'"), e.getMessage());
    assertThrows(UnsafeImagePathException.class, () -> ImagePaths.normalise(""));
    assertThrows(UnsafeImagePathException.class, () -> ImagePaths.normalise("a\u0000.png"));
  }

  @Test
  void folderOfZipsOpensAsOneCompositeStore() throws IOException {
    Path zips = dir.resolve("images_zip");
    Files.createDirectories(zips);
    zip(zips.resolve("A.zip"), Map.of("A/x.png", png(2, 2)));
    zip(zips.resolve("B.zip"), Map.of("B/y.png", png(3, 3)));
    try (ImageStore store = ImageStores.open(zips, ImageLimits.defaults())) {
      assertTrue(store instanceof CompositeImageStore);
      assertEquals(2, store.load("A/x.png").getWidth());
      assertEquals(3, store.load("B/y.png").getWidth());
      assertThrows(ImageNotFoundException.class, () -> store.load("C/z.png"));
    }
  }

  @Test
  void innerRootMapsArchivePrefix() throws IOException {
    Path file = dir.resolve("wrapped.zip");
    zip(file, Map.of("images/Set/a.png", png(4, 4)));
    try (ImageStore store = new ZipImageStore(file, "images", ImageLimits.defaults())) {
      assertEquals(4, store.load("Set/a.png").getWidth());
    }
  }

  @Test
  void strippedPrefixMatchesRowPathsToAShallowerStore() throws IOException {
    Path file = dir.resolve("CIRR.zip");
    zip(file, Map.of("CIRR/Train/a.png", png(6, 6)));
    try (ImageStore store =
        new StrippedPrefixImageStore(new ZipImageStore(file, ImageLimits.defaults()), "images")) {
      assertTrue(store.contains("images/CIRR/Train/a.png"));
      assertEquals(6, store.load("./images/CIRR/Train/a.png").getWidth());
      assertFalse(store.contains("CIRR/Train/a.png"), "rows without the prefix are not in it");
      assertThrows(ImageNotFoundException.class, () -> store.load("other/CIRR/Train/a.png"));
      assertThrows(
          UnsafeImagePathException.class, () -> store.contains("images/../CIRR/Train/a.png"));
    }
  }

  @Test
  void availabilityFailsOrCountsMissingImages() throws IOException {
    try (ImageStore store = new FolderImageStore(folderWithImages(), ImageLimits.defaults())) {
      ImageAvailability strict = new ImageAvailability(store, MissingImagePolicy.FAIL);
      assertTrue(strict.admit("DS", 0, List.of("Set/sub/a.png")));
      ImageNotFoundException e =
          assertThrows(
              ImageNotFoundException.class,
              () -> strict.admit("DS", 7, List.of("Set/sub/a.png", "Set/gone.png")));
      assertTrue(e.getMessage().contains("dataset DS, row 7"), e.getMessage());
      assertTrue(e.getMessage().contains("Set/gone.png"), e.getMessage());

      ImageAvailability lenient = new ImageAvailability(store, MissingImagePolicy.SKIP_ROW);
      assertTrue(lenient.admit("DS", 0, List.of("Set/sub/a.png")));
      assertFalse(lenient.admit("DS", 1, List.of("Set/gone.png", "Set/gone2.png")));
      assertFalse(lenient.admit("DS", 2, List.of("Set/gone.png")));
      assertEquals(3, lenient.checkedRows());
      assertEquals(2, lenient.skippedRows());
      assertEquals(3, lenient.missingImages());
      assertEquals("DS row 1: Set/gone.png", lenient.missingExamples().get(0));
    }
  }
}
