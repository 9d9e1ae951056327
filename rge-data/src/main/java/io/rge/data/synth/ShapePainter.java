package io.rge.data.synth;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.SplittableRandom;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;
import javax.imageio.stream.MemoryCacheImageOutputStream;

/**
 * Rasterises scenes pixel by pixel (no Java2D antialiasing, so the bytes do not depend on the
 * platform's renderer) and encodes them as PNG. Thread-safe.
 */
final class ShapePainter {
  private static final int BACKGROUND = 226;
  private static final int BACKGROUND_NOISE = 10;
  private static final int SHAPE_JITTER = 12;
  private static final double CROP_HALF_SIZE = 20.0;

  /** PNG bytes of {@code scene}. */
  byte[] png(Scene scene) {
    return encode(render(scene));
  }

  BufferedImage render(Scene scene) {
    if (scene instanceof Scene.Crop crop) {
      double centre = Scene.SIZE / 2.0;
      long seed = Seeds.derive(0, "crop/" + crop.colour().word() + "/" + crop.shape().word());
      return paint(
          List.of(
              new Scene.PlacedShape(crop.colour(), crop.shape(), centre, centre, CROP_HALF_SIZE)),
          seed,
          Scene.SIZE);
    }
    Scene.Placed placed = (Scene.Placed) scene;
    return paint(placed.shapes(), placed.noiseSeed(), placed.width());
  }

  private static BufferedImage paint(List<Scene.PlacedShape> shapes, long seed, int width) {
    SplittableRandom random = new SplittableRandom(seed);
    BufferedImage image = new BufferedImage(width, Scene.SIZE, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < Scene.SIZE; y++) {
      for (int x = 0; x < width; x++) {
        int[] rgb = null;
        int jitter = BACKGROUND_NOISE;
        for (Scene.PlacedShape shape : shapes) {
          if (shape.shape().covers(x + 0.5 - shape.x(), y + 0.5 - shape.y(), shape.r())) {
            rgb = shape.colour().rgb();
            jitter = SHAPE_JITTER;
          }
        }
        int r = rgb == null ? BACKGROUND : rgb[0];
        int g = rgb == null ? BACKGROUND : rgb[1];
        int b = rgb == null ? BACKGROUND : rgb[2];
        r = clamp(r + random.nextInt(-jitter, jitter + 1));
        g = clamp(g + random.nextInt(-jitter, jitter + 1));
        b = clamp(b + random.nextInt(-jitter, jitter + 1));
        image.setRGB(x, y, (r << 16) | (g << 8) | b);
      }
    }
    return image;
  }

  private static int clamp(int value) {
    return Math.max(0, Math.min(255, value));
  }

  private static byte[] encode(BufferedImage image) {
    ImageWriter writer = ImageIO.getImageWritersByFormatName("png").next();
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(8192);
    // Memory-cached output: ImageIO's default would route every image through a temp file.
    try (ImageOutputStream out = new MemoryCacheImageOutputStream(bytes)) {
      writer.setOutput(out);
      writer.write(null, new IIOImage(image, null, null), null);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot encode PNG", e);
    } finally {
      writer.dispose();
    }
    return bytes.toByteArray();
  }
}
