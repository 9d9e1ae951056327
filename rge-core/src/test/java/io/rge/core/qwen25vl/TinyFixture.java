package io.rge.core.qwen25vl;

import ai.djl.ndarray.NDManager;
import io.rge.core.image.ImageGrid;
import io.rge.core.image.ProcessedImage;
import io.rge.core.image.ReferenceTensors;
import io.rge.core.precision.ComputePrecision;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * The qwen25vl-tiny fixture: model folder and reference tensors. Two references exist: the shipped
 * one (image tokens at sequential positions, see the mrope/README.md) and the 3-D M-RoPE one.
 */
enum TinyFixture {
  SHIPPED("/fixtures/qwen25vl-tiny/expected.safetensors", ImagePositions.SEQUENTIAL),
  MROPE("/fixtures/qwen25vl-tiny/mrope/expected.safetensors", ImagePositions.GRID);

  final ReferenceTensors expected;
  final ImagePositions positions;

  TinyFixture(String resource, ImagePositions positions) {
    this.expected = ReferenceTensors.load(resource);
    this.positions = positions;
  }

  /** The fixture model, loaded through the production config reader and weight loader. */
  Qwen25VLModel load(NDManager manager) {
    return load(manager, ComputePrecision.FP32);
  }

  /** The fixture model computing in {@code precision}. */
  Qwen25VLModel load(NDManager manager, ComputePrecision precision) {
    try (CheckpointWeights weights =
        WeightLoader.open(TestCheckpoints.tinyDir(), config(), WeightLoader.Strictness.STRICT)) {
      return Qwen25VLModel.create(config(), weights, manager, positions, precision);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static Qwen25VLConfig config() {
    try {
      return ModelConfigReader.read(TestCheckpoints.tinyDir().resolve("config.json"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  ProcessedImage image(String kase) {
    long[] grid = expected.i64(kase + ".image_grid_thw");
    return new ProcessedImage(
        expected.f32(kase + ".pixel_values"),
        new ImageGrid((int) grid[0], (int) grid[1], (int) grid[2]),
        1176);
  }

  /** Images are only in the shipped file; both references use the same pixels. */
  ProcessedImage sharedImage(String kase) {
    return SHIPPED.image(kase);
  }

  int[] ids(String tensor, int row) {
    return SHIPPED.expected.i64Row(tensor, row);
  }

  float[] f32(String tensor) {
    return expected.f32(tensor);
  }
}
