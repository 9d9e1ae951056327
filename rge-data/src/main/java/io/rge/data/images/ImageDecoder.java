package io.rge.data.images;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import javax.imageio.ImageIO;
import javax.imageio.ImageReadParam;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;

/**
 * Decodes image bytes with ImageIO after checking the header's pixel count against the limit, with
 * source subsampling when the image will be resized down anyway (see {@link ImageLimits}).
 */
public final class ImageDecoder {
  private final ImageLimits limits;

  public ImageDecoder(ImageLimits limits) {
    this.limits = limits;
  }

  /** Decodes an image file; errors name the file. */
  public BufferedImage decode(Path file) {
    if (!Files.isRegularFile(file)) {
      throw new ImageNotFoundException(file.toString(), "the file system");
    }
    try {
      return decode(Files.newInputStream(file), file.toString());
    } catch (IOException e) {
      throw new ImageDecodeException("cannot read image " + file + ": " + e.getMessage(), e);
    }
  }

  /** Decodes {@code in} (closed afterwards); {@code name} names the image in errors. */
  public BufferedImage decode(InputStream in, String name) {
    // Memory-cached stream: ImageIO's default file cache would write temp files for every image.
    try (InputStream source = in;
        ImageInputStream stream = new MemoryCacheImageInputStream(source)) {
      Iterator<ImageReader> readers = ImageIO.getImageReaders(stream);
      if (!readers.hasNext()) {
        throw new ImageDecodeException(
            "image '"
                + name
                + "' is not in a format ImageIO can read (PNG, JPEG, GIF, BMP) or is corrupt");
      }
      ImageReader reader = readers.next();
      List<String> warnings = new ArrayList<>();
      // Some decoders (JPEG) report truncated data only as a warning and pad the image with grey.
      reader.addIIOReadWarningListener((r, warning) -> warnings.add(warning));
      try {
        reader.setInput(stream, true, true);
        int width = reader.getWidth(0);
        int height = reader.getHeight(0);
        if (width <= 0 || height <= 0) {
          throw new ImageDecodeException(
              "image '" + name + "' declares an empty size " + width + "x" + height);
        }
        if ((long) width * height > limits.maxPixels()) {
          throw new ImageTooLargeException(name, width, height, limits.maxPixels());
        }
        ImageReadParam param = reader.getDefaultReadParam();
        int step = limits.subsampling(width, height);
        if (step > 1) {
          // The decoder keeps one row at a time and every step-th pixel of it: a 9000 x 9000 PNG
          // bound for 1000 x 1000 is never held at full size.
          param.setSourceSubsampling(step, step, 0, 0);
        }
        BufferedImage image = reader.read(0, param);
        if (image == null) {
          throw new ImageDecodeException("image '" + name + "' decoded to nothing");
        }
        if (!warnings.isEmpty()) {
          throw new ImageDecodeException(
              "image '" + name + "' is corrupt or truncated: " + String.join("; ", warnings));
        }
        return image;
      } finally {
        reader.dispose();
      }
    } catch (IOException | RuntimeException e) {
      if (e instanceof ImageDecodeException decodeException) {
        throw decodeException;
      }
      // ImageIO's decoders throw assorted runtime exceptions on truncated or hostile input.
      throw new ImageDecodeException(
          "cannot decode image '"
              + name
              + "': "
              + (e.getMessage() == null ? "corrupt data" : e.getMessage())
              + " (a damaged or unsupported file)",
          e);
    }
  }
}
