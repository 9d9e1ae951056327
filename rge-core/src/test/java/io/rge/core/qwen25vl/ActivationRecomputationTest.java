package io.rge.core.qwen25vl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import io.rge.core.DjlEngine;
import io.rge.core.image.ProcessedImage;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gradients with activation recomputation (decoder layers and vision blocks re-run in the backward
 * pass) equal the plain ones to 1e-6, for every weight, on the tiny fixture with an image in fp32.
 */
class ActivationRecomputationTest {
  private static final Logger LOG = LoggerFactory.getLogger(ActivationRecomputationTest.class);

  @Test
  void recomputedGradientsEqualPlainOnes() {
    int[] ids = TinyFixture.MROPE.ids("img1.input_ids", 0);
    List<ProcessedImage> images = List.of(TinyFixture.MROPE.sharedImage("img1"));
    try (NDManager root = DjlEngine.get().newBaseManager();
        Qwen25VLModel model = TinyFixture.MROPE.load(root)) {
      model.weights().setTrainable(w -> true);
      Map<String, float[]> plain = gradients(root, model, ids, images);
      model.weights().zeroGradients();
      model.setActivationRecomputation(true);
      Map<String, float[]> recomputed = gradients(root, model, ids, images);

      assertEquals(plain.keySet(), recomputed.keySet());
      double worst = 0;
      String where = "";
      for (Map.Entry<String, float[]> e : plain.entrySet()) {
        float[] a = e.getValue();
        float[] b = recomputed.get(e.getKey());
        double norm = 0;
        for (int i = 0; i < a.length; i++) {
          norm += Math.abs(a[i]);
          double d = Math.abs(a[i] - b[i]);
          if (d > worst) {
            worst = d;
            where = e.getKey();
          }
        }
        assertTrue(norm > 0, e.getKey() + " has no gradient");
      }
      LOG.info("recomputation: largest gradient difference {} (at {})", worst, where);
      assertTrue(worst <= 1e-6, "largest difference " + worst + " at " + where);
    }
  }

  /** Every weight's gradient after one backward pass of the next-token loss of {@code ids}. */
  private static Map<String, float[]> gradients(
      NDManager root, Qwen25VLModel model, int[] ids, List<ProcessedImage> images) {
    try (NDManager scope = root.newSubManager();
        GradientCollector collector = Engine.getInstance().newGradientCollector()) {
      NDArray loss = AutogradStepTest.nextTokenLoss(scope, model, ids, images);
      model.backward(collector, loss);
    }
    Map<String, float[]> out = new LinkedHashMap<>();
    for (ModelWeight w : model.weights().trainable()) {
      try (NDArray g = w.value().getGradient()) {
        out.put(w.name(), g.toFloatArray());
      }
    }
    return out;
  }
}
