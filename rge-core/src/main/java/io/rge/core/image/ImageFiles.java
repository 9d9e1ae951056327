package io.rge.core.image;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;

/**
 * Decodes image files (PNG, JPEG, GIF, BMP: what {@link ImageIO} reads) defensively.
 *
 * <p>The width and height are read from the header before any pixel is decoded, and an image above
 * the pixel limit is refused: a small compressed file can otherwise expand to gigabytes
 * (decompression bomb). Unreadable, truncated or corrupt data is an {@link InvalidImageException}
 * naming the source, never a half-decoded image. Only the first frame of a multi-frame file is
 * read.
 */
public final class ImageFiles {
  /**
   * PIL's MAX_IMAGE_PIXELS (89,478,485), the limit every command decodes under (rge-data's {@code
   * ImageLimits}), so that an image the commands accept is accepted here too.
   */
  public static final long DEFAULT_MAX_PIXELS = 89_478_485L;

  private ImageFiles() {}

  /** Reads an image file, refusing more than {@code maxPixels} pixels. */
  public static BufferedImage read(Path file, long maxPixels) throws IOException {
    if (!Files.isRegularFile(file)) {
      throw new NoSuchFileException(file.toString(), null, "image file not found");
    }
    try (InputStream in = Files.newInputStream(file)) {
      return read(in, file.toString(), maxPixels);
    }
  }

  /**
   * Reads an image from a stream (not closed here); {@code name} identifies it in errors, e.g. the
   * archive entry or dataset row it came from.
   */
  public static BufferedImage read(InputStream in, String name, long maxPixels) throws IOException {
    if (maxPixels <= 0) {
      throw new IllegalArgumentException("maxPixels must be > 0, got " + maxPixels);
    }
    // An in-memory cache: ImageIO's default may spill the stream into temporary files.
    try (ImageInputStream stream = new MemoryCacheImageInputStream(in)) {
      Iterator<ImageReader> readers = ImageIO.getImageReaders(stream);
      if (!readers.hasNext()) {
        throw new InvalidImageException(
            name
                + ": not a readable image (unknown or corrupt format; PNG, JPEG, GIF, BMP expected)");
      }
      ImageReader reader = readers.next();
      String format = formatName(reader);
      List<String> warnings = new ArrayList<>();
      // Some decoders (JPEG) report truncated data only as a warning and pad the image with grey.
      reader.addIIOReadWarningListener((source, warning) -> warnings.add(warning));
      try {
        reader.setInput(stream, true, true);
        int width = reader.getWidth(0);
        int height = reader.getHeight(0);
        if (width <= 0 || height <= 0) {
          throw new InvalidImageException(
              name + ": invalid image size " + width + "x" + height + " in its header");
        }
        long pixels = (long) width * height;
        if (pixels > maxPixels) {
          throw new InvalidImageException(
              name
                  + ": image of "
                  + width
                  + "x"
                  + height
                  + " = "
                  + pixels
                  + " pixels exceeds the limit of "
                  + maxPixels
                  + " pixels (possible decompression bomb)");
        }
        BufferedImage image = reader.read(0);
        if (image == null || image.getWidth() != width || image.getHeight() != height) {
          throw new InvalidImageException(name + ": the decoder returned no complete image");
        }
        if (!warnings.isEmpty()) {
          throw new InvalidImageException(
              name + ": corrupt or truncated " + format + " image: " + String.join("; ", warnings));
        }
        return image;
      } catch (InvalidImageException e) {
        throw e;
      } catch (IOException | RuntimeException e) {
        // Decoders signal corrupt data with IIOException but also with runtime exceptions.
        throw new InvalidImageException(
            name + ": corrupt or unreadable " + format + " image: " + e, e);
      } finally {
        reader.dispose();
      }
    }
  }

  private static String formatName(ImageReader reader) {
    try {
      return reader.getFormatName();
    } catch (IOException e) {
      return "image";
    }
  }
}
