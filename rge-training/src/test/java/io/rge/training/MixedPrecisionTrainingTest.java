package io.rge.training;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import io.rge.core.RgeModel;
import io.rge.core.qwen25vl.ModelWeight;
import io.rge.core.safetensors.DType;
import io.rge.core.safetensors.HalfFloat;
import io.rge.core.safetensors.SafetensorsFile;
import io.rge.training.checkpoint.CheckpointStore;
import io.rge.training.checkpoint.TrainerState;
import io.rge.training.config.TrainConfig;
import io.rge.training.metrics.StepMetrics;
import io.rge.training.precision.LossScale;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * fp16 mixed-precision training on the tiny preset: one step against the fp32 step, the loss scale
 * on an overflow, and a resume that continues exactly.
 */
class MixedPrecisionTrainingTest {
  /** A matrix of the decoder, stored as one (unfused) weight. */
  private static final String DOWN = "model.layers.0.mlp.down_proj.weight";

  @TempDir static Path dir;

  @Test
  void oneFp16StepMovesFp32MastersAndTheComputeWeightsAreTheMastersRounded() throws Exception {
    TrainConfig fp16 = TestRuns.config(dir.resolve("fp16"), "precision=fp16", "checkpoint.every=1");
    float[][] compute = new float[2][];
    Trainer trainer = new Trainer(fp16);
    trainer.setHooks(
        new TrainerHooks() {
          @Override
          public void beforeStep(long step, RgeModel model) {
            ModelWeight w = model.network().weights().get(DOWN);
            assertEquals(DataType.FLOAT16, w.value().getDataType(), "stored in fp16 only");
            try (NDArray widened = w.value().toType(DataType.FLOAT32, false)) {
              compute[(int) step] = widened.toFloatArray();
            }
          }
        });
    TrainResult result = trainer.run(2);
    Path first = new CheckpointStore(dir.resolve("fp16").resolve(Trainer.CHECKPOINTS)).folderFor(1);
    float[] master;
    try (SafetensorsFile masters =
        SafetensorsFile.open(first.resolve(CheckpointStore.MASTERS_FILE))) {
      assertEquals(DType.F32, masters.info(DOWN).dtype());
      master = masters.readFloats(DOWN);
    }
    int moved = 0;
    int finer = 0;
    for (int i = 0; i < master.length; i++) {
      moved += master[i] != compute[0][i] ? 1 : 0;
      finer += HalfFloat.fp16ToFloat(HalfFloat.floatToFp16(master[i])) != master[i] ? 1 : 0;
      // After the step the compute weight is the master rounded to nearest-even fp16.
      assertEquals(
          HalfFloat.floatToFp16(master[i]),
          HalfFloat.floatToFp16(compute[1][i]),
          "element " + i + ": master " + master[i] + ", compute " + compute[1][i]);
    }
    assertTrue(moved > master.length / 2, moved + " of " + master.length + " masters moved");
    // fp32 masters keep what fp16 cannot: updates smaller than half an fp16 step accumulate.
    assertTrue(finer > master.length / 2, finer + " masters between fp16 values");
    // The checkpoint is bf16: the masters rounded to nearest-even bf16.
    try (SafetensorsFile model = SafetensorsFile.open(first.resolve("model.safetensors"))) {
      assertEquals(DType.BF16, model.info(DOWN).dtype());
      float[] stored = model.readFloats(DOWN);
      for (int i = 0; i < master.length; i++) {
        assertEquals(HalfFloat.bf16ToFloat(HalfFloat.floatToBf16(master[i])), stored[i]);
      }
    }

    TrainResult fp32 = new Trainer(TestRuns.config(dir.resolve("fp32"), "precision=fp32")).run(1);
    double expected = fp32.metrics().get(0).total();
    double actual = result.metrics().get(0).total();
    // Step 1 is LM-only on the same initial weights: fp16 rounds weights and activations to 11
    // significant bits (relative 2^-11 ≈ 5e-4 each), summed over 2 layers and the head; 0.5% of a
    // cross-entropy near ln(vocabulary) covers that with margin and still fails on a broken pass.
    assertEquals(expected, actual, 5e-3 * expected, "fp16 step-1 loss against fp32");
    assertFalse(result.metrics().get(0).skipped());
  }

  @Test
  void anOverflowSkipsTheStepAndHalvesTheScaleWhichIsSaved() throws Exception {
    TrainConfig fp16 =
        TestRuns.config(dir.resolve("overflow"), "precision=fp16", "checkpoint.every=2");
    Trainer trainer = new Trainer(fp16);
    trainer.setHooks(
        new TrainerHooks() {
          @Override
          public void afterBackward(long step, RgeModel model) {
            if (step == 1) {
              try (NDArray g = model.network().weights().get(DOWN).value().getGradient()) {
                g.muli(Float.POSITIVE_INFINITY);
              }
            }
          }
        });
    TrainResult result = trainer.run(2);
    StepMetrics second = result.metrics().get(1);
    assertFalse(result.metrics().get(0).skipped());
    assertTrue(second.skipped(), "an fp16 overflow skips the update");
    TrainerState state =
        new CheckpointStore(dir.resolve("overflow").resolve(Trainer.CHECKPOINTS))
            .readState(result.finalCheckpoint());
    // Step 1 clean (count 1), step 2 overflowed: halved, count reset.
    assertEquals(new LossScale(32768, 0, LossScale.GROWTH_INTERVAL), state.lossScale());
    assertEquals(1, state.optimizerUpdates());
  }

  @Test
  void aResumedFp16RunContinuesExactly() throws Exception {
    String[] overrides = {"precision=fp16", "schedule.total_steps=4", "checkpoint.every=2"};
    TrainResult full = new Trainer(TestRuns.config(dir.resolve("full"), overrides)).run();
    TrainConfig resumable = TestRuns.config(dir.resolve("resumed"), overrides);
    new Trainer(resumable).run(2);
    TrainResult rest = new Trainer(resumable).run();
    assertEquals(2, rest.summary().stepsThisRun());
    for (int i = 2; i < 4; i++) {
      assertEquals(
          full.metrics().get(i).total(), rest.metrics().get(i).total(), 0.0, "step " + (i + 1));
    }
    for (String file : new String[] {CheckpointStore.MASTERS_FILE, "model.safetensors"}) {
      try (SafetensorsFile a = SafetensorsFile.open(full.finalCheckpoint().resolve(file));
          SafetensorsFile b = SafetensorsFile.open(rest.finalCheckpoint().resolve(file))) {
        assertEquals(a.names(), b.names());
        for (String name : a.names()) {
          assertArrayEquals(a.readFloats(name), b.readFloats(name), file + " " + name);
        }
      }
    }
  }
}
