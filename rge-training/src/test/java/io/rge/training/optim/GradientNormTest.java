package io.rge.training.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import io.rge.core.DjlEngine;
import io.rge.core.qwen25vl.CheckpointPart;
import io.rge.core.qwen25vl.ModelWeight;
import java.util.List;
import org.junit.jupiter.api.Test;

class GradientNormTest {

  private static ModelWeight weight(NDManager manager, String name, float... values) {
    NDArray array = manager.create(values);
    array.setRequiresGradient(true);
    return new ModelWeight(
        name,
        array,
        List.of(new CheckpointPart(name, new long[] {values.length}, 0, values.length)),
        true);
  }

  @Test
  void oneNormOverAllGradientsTogether() {
    try (NDManager manager = DjlEngine.get().newBaseManager()) {
      ModelWeight a = weight(manager, "a", 0f, 0f);
      ModelWeight b = weight(manager, "b", 0f);
      try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
        // gradients (3, 4) and (12): global norm sqrt(9 + 16 + 144) = 13
        NDArray loss =
            a.value().mul(manager.create(new float[] {3f, 4f})).sum().add(b.value().mul(12f).sum());
        collector.backward(loss);
      }
      assertEquals(13.0, GradientNorm.global(List.of(a, b), manager), 1e-5);
      assertEquals(5.0, GradientNorm.global(List.of(a), manager), 1e-5);
      try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
        collector.backward(b.value().mul(Float.NaN).sum());
      }
      assertTrue(Double.isNaN(GradientNorm.global(List.of(a, b), manager)));
    }
  }

  @Test
  void clipScaleBringsTheNormDownToTheLimitOnly() {
    assertEquals(1.0 / (13.0 + 1e-6), GradientNorm.clipScale(13.0, 1.0), 1e-15);
    assertEquals(1.0, GradientNorm.clipScale(0.5, 1.0));
    assertEquals(1.0, GradientNorm.clipScale(1e6, 0), "0 turns clipping off");
    // The clipped norm is the limit (to within the 1e-6 guard).
    assertEquals(2.0, 40.0 * GradientNorm.clipScale(40.0, 2.0), 1e-6);
  }
}
