package io.rge.core.qwen25vl;

import io.rge.core.image.ImageGrid;
import io.rge.core.image.ProcessedImage;
import io.rge.core.image.ReferenceTensors;
import java.util.List;

/** The qwen25vl-tiny fixture: its config, weights and reference tensors. */
final class TinyFixture {
  static final String DIR = "/fixtures/qwen25vl-tiny/";
  static final ReferenceTensors EXPECTED = ReferenceTensors.load(DIR + "expected.safetensors");
  static final ReferenceTensors WEIGHTS = ReferenceTensors.load(DIR + "model.safetensors");

  private TinyFixture() {}

  static Qwen25VLConfig config() {
    return new Qwen25VLConfig(
        new TextConfig(512, 64, 128, 3, 4, 2, 1e-6, 1_000_000.0, List.of(2, 3, 3), 4096, "silu"),
        new VisionConfig(4, 32, 64, 2, 3, 64, 14, 2, 2, 56, List.of(1, 3), 2, "silu", 10_000.0),
        new SpecialTokenIds(420, 422, 423, 424, 425, 426, 427),
        true);
  }

  static WeightSource weights() {
    return (name, shape) -> WEIGHTS.f32(name);
  }

  static ProcessedImage image(String kase) {
    long[] grid = EXPECTED.i64(kase + ".image_grid_thw");
    return new ProcessedImage(
        EXPECTED.f32(kase + ".pixel_values"),
        new ImageGrid((int) grid[0], (int) grid[1], (int) grid[2]),
        1176);
  }

  static int[] ids(String tensor, int row) {
    return EXPECTED.i64Row(tensor, row);
  }
}
