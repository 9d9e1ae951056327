package io.rge.core.qwen25vl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.rge.core.DjlEngine;
import io.rge.core.safetensors.Precision;
import org.junit.jupiter.api.Test;

/** The buffers of a weight set become DJL arrays as documented, in both precisions. */
class WeightSetDjlTest {

  @Test
  void buffersBecomeDjlArraysWithTheSameValues() throws Exception {
    Qwen25VLConfig config =
        ModelConfigReader.read(TestCheckpoints.tinyDir().resolve("config.json"));
    WeightSet fp32 = WeightLoader.load(TestCheckpoints.tinyDir(), config, Precision.FP32);
    WeightSet fp16 = WeightLoader.load(TestCheckpoints.tinyDir(), config, Precision.FP16);
    String name = "visual.patch_embed.proj.weight";
    try (NDManager manager = DjlEngine.get().newBaseManager()) {
      NDArray a = manager.create(fp32.buffer(name), new Shape(fp32.shape(name)), DataType.FLOAT32);
      assertEquals(new Shape(32, 3, 2, 14, 14), a.getShape());
      assertArrayEquals(fp32.floats(name), a.toFloatArray());

      NDArray h = manager.create(fp16.buffer(name), new Shape(fp16.shape(name)), DataType.FLOAT16);
      assertEquals(DataType.FLOAT16, h.getDataType());
      assertArrayEquals(fp16.floats(name), h.toType(DataType.FLOAT32, false).toFloatArray());
    }
  }
}
