package io.rge.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.rge.core.adapters.Adapters;
import io.rge.core.safetensors.SafetensorsFile;
import io.rge.training.metrics.StepMetrics;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Every adapter × contrastive-batch × mode combination the configs allow trains with activation
 * recomputation (which used to kill the JVM with adapters: SIGSEGV in DJL's {@code
 * torchGradFnName}) exactly as without it, in fp32: a 3-step run each (rge: an LM-only warm-up
 * step, then LM + InfoNCE on generated rationales; baseline: InfoNCE only; 2 accumulated
 * micro-batches), the per-step losses and gradient norms equal to 1e-6 and the final adapters equal
 * to 1e-6. DoRA runs with the paper config's dropout 0.1, so the replayed layers must draw the
 * forward's masks.
 */
class AdapterRecomputationTrainingTest {
  @TempDir Path dir;

  @ParameterizedTest(name = "{0} dropout {1}, contrastive_batch {2}, {3}")
  @CsvSource({
    "lora, 0, step, rge",
    "lora, 0, micro, rge",
    "lora, 0, step, baseline",
    "lora, 0, micro, baseline",
    "dora, 0.1, step, rge",
    "dora, 0.1, micro, rge",
    "dora, 0.1, step, baseline",
    "dora, 0.1, micro, baseline"
  })
  void recomputationChangesNothing(String type, double dropout, String batch, String mode)
      throws Exception {
    TrainResult plain = run("plain", type, dropout, batch, mode, false);
    TrainResult recomputed = run("recomputed", type, dropout, batch, mode, true);

    assertEquals(plain.metrics().size(), recomputed.metrics().size());
    for (int i = 0; i < plain.metrics().size(); i++) {
      StepMetrics a = plain.metrics().get(i);
      StepMetrics b = recomputed.metrics().get(i);
      String step = "step " + a.step();
      assertFalse(a.skipped() || b.skipped(), step);
      assertEquals(a.lmOnly(), b.lmOnly(), step);
      // fp32: equal to 1e-6 relative (the losses are ~20, an fp32 ulp there is 2e-6; the sums of a
      // replayed layer's gradients may round in another order)
      assertEquals(a.total(), b.total(), 1e-6 * Math.max(1, a.total()), step + " loss");
      assertEquals(a.gradNorm(), b.gradNorm(), 1e-6 * Math.max(1, a.gradNorm()), step + " norm");
    }
    // rge warms up with an LM-only step; baseline has no LM term
    assertEquals(mode.equals("rge"), plain.metrics().get(0).lmOnly(), "step 1 LM-only");
    assertFalse(plain.metrics().get(2).lmOnly());

    Path a = plain.finalCheckpoint().resolve(Adapters.WEIGHTS_FILE);
    Path b = recomputed.finalCheckpoint().resolve(Adapters.WEIGHTS_FILE);
    try (SafetensorsFile fa = SafetensorsFile.open(a);
        SafetensorsFile fb = SafetensorsFile.open(b)) {
      assertEquals(fa.names(), fb.names());
      for (String name : fa.names()) {
        float[] x = fa.readFloats(name);
        float[] y = fb.readFloats(name);
        for (int i = 0; i < x.length; i++) {
          assertEquals(x[i], y[i], 1e-6, name + "[" + i + "]");
        }
      }
    }
  }

  private TrainResult run(
      String name, String type, double dropout, String batch, String mode, boolean recompute)
      throws Exception {
    return new Trainer(
            TestRuns.config(
                dir.resolve(name),
                "adapters={type: " + type + ", r: 4, alpha: 8, dropout: " + dropout + "}",
                "contrastive_batch=" + batch,
                "objective.mode=" + mode,
                "objective.lm_warmup_steps=1",
                "schedule.total_steps=3",
                "activation_checkpointing=" + recompute))
        .run();
  }
}
