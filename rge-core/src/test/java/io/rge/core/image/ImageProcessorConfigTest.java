package io.rge.core.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageProcessorConfigTest {
  @TempDir Path dir;

  @Test
  void readsTheFixtureWithPixelLimitsFromSize() throws IOException {
    Path folder = dir.resolve("model");
    Files.createDirectories(folder);
    try (InputStream in =
        getClass().getResourceAsStream("/fixtures/qwen25vl-tiny/preprocessor_config.json")) {
      Files.write(folder.resolve(ImageProcessorConfig.FILE_NAME), in.readAllBytes());
    }
    ImageProcessorConfig c = ImageProcessorConfig.read(folder);
    assertEquals(3136, c.minPixels());
    assertEquals(1003520, c.maxPixels());
    assertEquals(14, c.patchSize());
    assertEquals(2, c.temporalPatchSize());
    assertEquals(2, c.mergeSize());
    assertEquals(28, c.factor());
    assertEquals(1176, c.patchVectorSize());
    assertEquals(List.of(0.48145466, 0.4578275, 0.40821073), c.imageMean());
    assertEquals(List.of(0.26862954, 0.26130258, 0.27577711), c.imageStd());
    assertEquals(1.0 / 255, c.rescaleFactor(), 1e-17);
  }

  @Test
  void topLevelMinMaxPixelsWinOverSize() {
    // The layout of Qwen/Qwen2.5-VL-3B-Instruct's preprocessor_config.json.
    ImageProcessorConfig c =
        parse(
            "{\"min_pixels\": 3136, \"max_pixels\": 12845056, \"patch_size\": 14,"
                + " \"size\": {\"shortest_edge\": 100, \"longest_edge\": 200}}");
    assertEquals(3136, c.minPixels());
    assertEquals(12845056, c.maxPixels());
  }

  @Test
  void olderSizeKeysAndDefaultsAreUnderstood() {
    ImageProcessorConfig c = parse("{\"size\": {\"min_pixels\": 784, \"max_pixels\": 50176}}");
    assertEquals(784, c.minPixels());
    assertEquals(50176, c.maxPixels());
    ImageProcessorConfig d = parse("{}");
    assertEquals(ImageProcessorConfig.defaults(), d);
    assertTrue(d.doResize() && d.doRescale() && d.doNormalize() && d.doConvertRgb());
  }

  @Test
  void aMissingFileInAFolderMeansDefaults() throws IOException {
    assertEquals(ImageProcessorConfig.defaults(), ImageProcessorConfig.read(dir));
  }

  @Test
  void badFieldsAreNamed() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> parse("{\"resample\": 2}"));
    assertTrue(e.getMessage().contains("test.json") && e.getMessage().contains("resample"));
    e = assertThrows(IllegalArgumentException.class, () -> parse("{\"patch_size\": \"14\"}"));
    assertTrue(e.getMessage().contains("patch_size"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> parse("{\"image_mean\": [0.5, 0.5]}"));
    assertTrue(e.getMessage().contains("image_mean"), e.getMessage());
    e =
        assertThrows(
            IllegalArgumentException.class,
            () -> parse("{\"min_pixels\": 5000, \"max_pixels\": 4000}"));
    assertTrue(e.getMessage().contains("min_pixels"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> parse("{\"do_resize\": 1}"));
    assertTrue(e.getMessage().contains("do_resize"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> parse("[1]"));
    assertTrue(e.getMessage().startsWith("test.json"), e.getMessage());
    assertFalse(parse("{\"do_normalize\": false}").doNormalize());
  }

  private static ImageProcessorConfig parse(String json) {
    return ImageProcessorConfig.parse(json, "test.json");
  }
}
