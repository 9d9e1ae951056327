package io.rge.core.qwen25vl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.GradientCollector;
import io.rge.core.DjlEngine;
import org.junit.jupiter.api.Test;

/**
 * Casts inside a recorded graph stay differentiable (DJL's {@code toType} alone would cut it): a
 * half-precision leaf, upcast, scaled in fp32, cast back to fp16, squared and summed, gets the
 * hand-computed gradient.
 */
class UpcastTest {
  @Test
  void castsUnderAutogradCarryTheGradient() {
    DjlEngine.get();
    try (NDManager m = NDManager.newBaseManager()) {
      NDArray x = m.create(new float[] {1, 2, 3}).toType(DataType.FLOAT16, false);
      x.setRequiresGradient(true);
      NDArray scale = m.create(new float[] {1, 10, 100});
      try (GradientCollector c = Engine.getInstance().newGradientCollector()) {
        NDArray up = Upcast.toFp32(x);
        assertEquals(DataType.FLOAT32, up.getDataType());
        NDArray down = Upcast.to(up.mul(scale), DataType.FLOAT16); // z = x·s = [1, 20, 300]
        assertEquals(DataType.FLOAT16, down.getDataType());
        c.backward(down.mul(down).sum()); // d/dx Σ z² = 2 z s = [2, 400, 60000]
      }
      NDArray g = x.getGradient();
      assertEquals(DataType.FLOAT16, g.getDataType());
      assertArrayEquals(
          new float[] {2, 400, 60000}, g.toType(DataType.FLOAT32, false).toFloatArray());
      // Outside a collector the cast is plain, and the identity on an array of the type.
      assertEquals(DataType.FLOAT32, Upcast.toFp32(x).getDataType());
      assertSame(scale, Upcast.toFp32(scale));
    }
  }
}
