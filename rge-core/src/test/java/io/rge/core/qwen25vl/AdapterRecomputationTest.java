package io.rge.core.qwen25vl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.GradientCollector;
import io.rge.core.DjlEngine;
import io.rge.core.adapters.AdapterSettings;
import io.rge.core.adapters.Adapters;
import io.rge.core.image.ProcessedImage;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * With adapters on a frozen base (the recomputed chains' inputs then record no gradient: the
 * embedding matrix and the vision tower's patch embedding are frozen), activation recomputation
 * gives the plain backward pass's gradients to 1e-6 in fp32, for LoRA and DoRA, with and without
 * adapters on the vision tower, with and without dropout (a replayed layer draws the forward's
 * dropout masks again), on the tiny fixture with an image. It used to kill the JVM (SIGSEGV in
 * DJL's {@code torchGradFnName}, asked for the gradient function of a tensor that has none).
 */
class AdapterRecomputationTest {
  private static final Logger LOG = LoggerFactory.getLogger(AdapterRecomputationTest.class);
  private static final long SEED = 11;

  @ParameterizedTest(name = "{0}, vision {1}, dropout {2}")
  @CsvSource({
    "LORA, false, 0",
    "DORA, false, 0",
    "LORA, true, 0",
    "DORA, true, 0",
    "LORA, false, 0.1",
    "DORA, true, 0.1"
  })
  void recomputedAdapterGradientsEqualPlainOnes(
      AdapterSettings.Type type, boolean vision, double dropout) {
    int[] ids = TinyFixture.MROPE.ids("img1.input_ids", 0);
    List<ProcessedImage> images = List.of(TinyFixture.MROPE.sharedImage("img1"));
    AdapterSettings settings =
        new AdapterSettings(type, 4, 8, dropout, AdapterSettings.RGE_TARGETS, vision);
    try (NDManager root = DjlEngine.get().newBaseManager();
        Qwen25VLModel model = TinyFixture.MROPE.load(root)) {
      Adapters adapters = Adapters.attach(model, settings, ids[ids.length - 1], 5);
      adapters.setTraining(true);
      // B starts at 0, which would leave A without gradient: move every adapter array first.
      for (ModelWeight w : adapters.weights()) {
        try (NDArray noise = w.value().getManager().randomNormal(w.value().getShape())) {
          w.value().addi(noise.mul(0.05f));
        }
      }
      Map<String, float[]> plain = gradients(root, model, adapters, ids, images);
      model.setActivationRecomputation(true);
      Map<String, float[]> recomputed = gradients(root, model, adapters, ids, images);

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
      LOG.info(
          "{} vision {} dropout {}: largest gradient difference {} (at {}) over {} arrays",
          type,
          vision,
          dropout,
          worst,
          where,
          plain.size());
      assertTrue(worst <= 1e-6, "largest difference " + worst + " at " + where);
    }
  }

  /** Every adapter array's gradient after one backward pass, the torch RNG seeded alike. */
  private static Map<String, float[]> gradients(
      NDManager root,
      Qwen25VLModel model,
      Adapters adapters,
      int[] ids,
      List<ProcessedImage> images) {
    for (ModelWeight w : adapters.weights()) {
      JniUtils.zeroGrad((PtNDArray) w.value());
    }
    Engine.getInstance().setRandomSeed((int) SEED);
    try (NDManager scope = root.newSubManager();
        GradientCollector collector = Engine.getInstance().newGradientCollector()) {
      NDArray loss = AutogradStepTest.nextTokenLoss(scope, model, ids, images);
      model.backward(collector, loss);
    }
    Map<String, float[]> out = new LinkedHashMap<>();
    for (ModelWeight w : adapters.weights()) {
      try (NDArray g = w.value().getGradient()) {
        out.put(w.name(), g.toFloatArray());
      }
    }
    return out;
  }
}
