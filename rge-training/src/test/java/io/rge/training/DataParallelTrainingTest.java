package io.rge.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rge.core.DeviceChoice;
import io.rge.core.RgeModel;
import io.rge.core.config.ConfigException;
import io.rge.core.qwen25vl.ModelWeight;
import io.rge.training.metrics.StepMetrics;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Three optimizer steps with {@code devices: [cpu, cpu]} (two replicas on the CPU, each with half
 * of every micro-batch, fingerprints compared after every step) end with the weights of the same
 * run on one device, within 1e-5: an LM-only warm-up step, then two joint steps whose InfoNCE spans
 * both replicas and both micro-batches, with the data's hard negatives.
 */
class DataParallelTrainingTest {
  @TempDir Path dir;

  @ParameterizedTest
  @ValueSource(strings = {"rge", "baseline"})
  void twoCpuReplicasTrainAsOneDevice(String mode) throws Exception {
    String[] run = {
      "objective.mode=" + mode,
      "objective.lm_warmup_steps=1",
      // One row at a time: a row's greedy rationale does not depend on the rows beside it.
      "objective.generation_batch_size=1",
      "schedule.warmup_steps=1",
      "schedule.total_steps=3",
      "checkpoint.every=3",
      // AdamW's first steps are close to sign descent (m / sqrt(v) = g / |g| at step 1), so a
      // gradient element that is tiny but for rounding (1e-8 apart between the runs, as sums run
      // in another order and the replicas' passes pad fewer rows) moves its weight by a sizeable
      // fraction of lr in one run and not the other. eps 1e-4 keeps elements below it linear, so
      // the comparison measures the gradients rather than the optimizer's amplification of
      // rounding noise; a replica's missing gradient still changes weights by about lr.
      "optimizer.eps=1e-4"
    };
    TrainResult one = new Trainer(TestRuns.config(dir.resolve("one"), run)).run();
    TrainResult two =
        new Trainer(
                TestRuns.config(
                    dir.resolve("two"),
                    concat(run, "devices=[cpu, cpu]", "logging.replica_check_every=1")))
            .run();

    assertEquals(3, two.metrics().size());
    for (int i = 0; i < 3; i++) {
      StepMetrics a = one.metrics().get(i);
      StepMetrics b = two.metrics().get(i);
      assertEquals(a.total(), b.total(), 1e-5 * Math.abs(a.total()), "total loss, step " + (i + 1));
      assertEquals(a.gradNorm(), b.gradNorm(), 1e-5 * a.gradNorm(), "gradient norm");
    }
    try (RgeModel a = RgeModel.load(one.finalCheckpoint(), DeviceChoice.CPU);
        RgeModel b = RgeModel.load(two.finalCheckpoint(), DeviceChoice.CPU)) {
      double worst = 0;
      for (ModelWeight w : a.network().weights().all()) {
        float[] x = w.value().toFloatArray();
        float[] y = b.network().weights().get(w.name()).value().toFloatArray();
        for (int i = 0; i < x.length; i++) {
          worst = Math.max(worst, Math.abs(x[i] - y[i]));
        }
      }
      assertTrue(worst <= 1e-5, "largest weight difference " + worst);
    }
  }

  @Test
  void badDevicesAreOneLineConfigErrors() throws Exception {
    ConfigException e =
        assertThrows(
            ConfigException.class, () -> TestRuns.config(dir.resolve("bad"), "devices=[cpu, tpu]"));
    assertTrue(
        e.getMessage().contains("devices: 'tpu' is not cpu, gpu<N> (gpu0, gpu1, ...) or all"),
        e.getMessage());
    assertEquals(1, e.getMessage().lines().count(), e.getMessage());
    IllegalArgumentException tooMany =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                new Trainer(
                        TestRuns.config(dir.resolve("many"), "devices=[cpu, cpu, cpu, cpu, cpu]"))
                    .run());
    assertEquals(
        "devices: 5 replicas need batch_size >= 5 (each takes a slice of every micro-batch), got 4",
        tooMany.getMessage());
  }

  private static String[] concat(String[] a, String... b) {
    String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
