package io.rge.serve;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Base64;
import java.util.Iterator;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

/**
 * An image given inline as a base64 data URI ({@code data:image/png;base64,...}); never a path or a
 * URL. Its size is read from the header before any pixel is decoded, so an image over the pixel
 * limit costs no memory.
 */
final class InlineImage {
  private InlineImage() {}

  /** The decoded image; a {@link BadInput} naming {@code field} for anything else. */
  static BufferedImage decode(String field, String uri, long maxPixels) {
    int comma = uri.indexOf(',');
    String header = comma < 0 ? "" : uri.substring(0, comma);
    if (!header.startsWith("data:image/") || !header.endsWith(";base64")) {
      throw new BadInput(
          field, "expected a base64 data URI (data:image/...;base64,...), not a path or a URL");
    }
    byte[] bytes;
    try {
      bytes = Base64.getDecoder().decode(uri.substring(comma + 1));
    } catch (IllegalArgumentException e) {
      throw new BadInput(field, "is not valid base64");
    }
    try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(bytes))) {
      Iterator<ImageReader> readers = in == null ? null : ImageIO.getImageReaders(in);
      if (readers == null || !readers.hasNext()) {
        throw new BadInput(field, "is not an image (PNG, JPEG, GIF or BMP)");
      }
      ImageReader reader = readers.next();
      try {
        reader.setInput(in, true, true);
        long pixels = (long) reader.getWidth(0) * reader.getHeight(0);
        if (pixels > maxPixels) {
          throw new BadInput(
              field,
              "image is "
                  + reader.getWidth(0)
                  + "x"
                  + reader.getHeight(0)
                  + ", over the limit of "
                  + maxPixels
                  + " pixels");
        }
        BufferedImage image = reader.read(0);
        if (image.getWidth() <= 0 || image.getHeight() <= 0) {
          throw new BadInput(field, "image is empty");
        }
        return image;
      } finally {
        reader.dispose();
      }
    } catch (IOException | RuntimeException e) {
      if (e instanceof BadInput bad) {
        throw bad;
      }
      throw new BadInput(field, "is not a readable image (" + e.getMessage() + ")");
    }
  }
}
