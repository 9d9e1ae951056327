package io.rge.core.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.util.Objects;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class QwenImageProcessorTest {
  private static final String TINY = "/fixtures/qwen25vl-tiny/";
  private static final String RESIZE = "/fixtures/image-processor/";

  static BufferedImage image(String resource) throws IOException {
    try (InputStream in =
        Objects.requireNonNull(
            QwenImageProcessorTest.class.getResourceAsStream(resource), resource)) {
      return ImageIO.read(in);
    }
  }

  static QwenImageProcessor fixtureProcessor() throws IOException {
    try (InputStream in =
        QwenImageProcessorTest.class.getResourceAsStream(TINY + ImageProcessorConfig.FILE_NAME)) {
      return new QwenImageProcessor(
          ImageProcessorConfig.parse(
              new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8),
              ImageProcessorConfig.FILE_NAME));
    }
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 1})
  void pixelValuesMatchTransformersWithoutResize(int index) throws IOException {
    ReferenceTensors expected = ReferenceTensors.load(TINY + "expected.safetensors");
    ProcessedImage out = fixtureProcessor().process(image(TINY + "image" + index + ".png"));
    String c = "img" + index;
    long[] grid = expected.i64(c + ".image_grid_thw");
    assertArrayEquals(grid, new long[] {out.grid().t(), out.grid().h(), out.grid().w()});
    float[] want = expected.f32(c + ".pixel_values");
    assertArrayEquals(
        expected.shape(c + ".pixel_values"), new long[] {grid[0] * grid[1] * grid[2], 1176});
    Diff diff = Diff.of(want, out.pixelValues());
    System.out.printf("%s: mean abs diff %.3g, max abs diff %.3g%n", c, diff.mean, diff.max);
    assertTrue(diff.max <= 1e-6, c + " max abs diff " + diff.max);
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 1, 2, 4})
  void resizedImagesMatchTransformers(int index) throws IOException {
    ReferenceTensors expected = ReferenceTensors.load(RESIZE + "resize_expected.safetensors");
    ProcessedImage out =
        new QwenImageProcessor(ImageProcessorConfig.defaults())
            .process(image(RESIZE + "resize" + index + ".png"));
    String c = "resize" + index;
    long[] grid = expected.i64(c + ".image_grid_thw");
    assertArrayEquals(grid, new long[] {out.grid().t(), out.grid().h(), out.grid().w()});
    Diff diff = Diff.of(expected.f32(c + ".pixel_values"), out.pixelValues());
    System.out.printf("%s: mean abs diff %.3g, max abs diff %.3g%n", c, diff.mean, diff.max);
    assertTrue(diff.max <= 1e-6, c + " max abs diff " + diff.max);
  }

  @Test
  void downscaleGridFollowsMaxPixels() {
    // resize3 of the fixtures: 1600x1200 must land on grid 1x60x82 (840x1148 pixels).
    ImageGrid grid = new QwenImageProcessor(ImageProcessorConfig.defaults()).grid(1200, 1600);
    assertEquals(new ImageGrid(1, 60, 82), grid);
  }

  record Diff(double mean, double max) {
    static Diff of(float[] want, float[] got) {
      assertEquals(want.length, got.length, "length");
      double sum = 0;
      double max = 0;
      for (int i = 0; i < want.length; i++) {
        double d = Math.abs((double) want[i] - got[i]);
        sum += d;
        max = Math.max(max, d);
      }
      return new Diff(sum / want.length, max);
    }
  }
}
