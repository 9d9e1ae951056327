package io.rge.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;
import io.rge.core.RgeModel;
import io.rge.core.qwen25vl.ModelWeight;
import io.rge.training.checkpoint.CheckpointStore;
import io.rge.training.metrics.MetricsLog;
import io.rge.training.metrics.StepMetrics;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Non-finite losses and gradients, injected by poisoning the model: the step is skipped without
 * touching the weights, counted, and too many in a row stop the run without damaging what was
 * written.
 */
class NonFiniteStepsTest {
  /** The final norm: every pass goes through it, so NaN there makes every loss NaN. */
  private static final String NORM = "model.norm.weight";

  @TempDir Path dir;

  private static void poison(RgeModel model) {
    model.network().weights().get(NORM).value().muli(Float.NaN);
  }

  @Test
  void nonFiniteLossesAndGradientsSkipTheUpdateAndTrainingGoesOn() throws Exception {
    float[][] saved = new float[1][];
    String[] fingerprintAtPoison = new String[1];
    boolean[] unchangedAcrossSkippedStep = new boolean[1];
    Trainer trainer = new Trainer(TestRuns.config(dir.resolve("run")));
    trainer.setHooks(
        new TrainerHooks() {
          @Override
          public void beforeStep(long step, RgeModel model) {
            ModelWeight norm = model.network().weights().get(NORM);
            if (step == 2) {
              saved[0] = norm.value().toFloatArray();
              poison(model);
              fingerprintAtPoison[0] = model.fingerprint();
            } else if (step == 3) {
              unchangedAcrossSkippedStep[0] = model.fingerprint().equals(fingerprintAtPoison[0]);
            } else if (step == 4) {
              try (NDArray original = model.manager().create(saved[0])) {
                norm.value().set(new NDIndex(":"), original);
              }
            }
          }

          @Override
          public void afterBackward(long step, RgeModel model) {
            if (step == 6) {
              // A finite loss with a NaN gradient.
              try (NDArray g =
                  model
                      .network()
                      .weights()
                      .get("model.embed_tokens.weight")
                      .value()
                      .getGradient()) {
                g.muli(Float.NaN);
              }
            }
          }
        });
    TrainResult result = trainer.run();
    assertTrue(result.finished());
    assertTrue(unchangedAcrossSkippedStep[0], "a skipped step leaves every weight as it was");
    List<StepMetrics> m = MetricsLog.read(dir.resolve("run").resolve(Trainer.METRICS));
    for (StepMetrics s : m) {
      boolean expectSkip = s.step() == 3 || s.step() == 4 || s.step() == 7;
      assertEquals(expectSkip, s.skipped(), "step " + s.step());
    }
    assertNull(m.get(2).total(), "the NaN loss is logged as null");
    assertNull(m.get(2).gradNorm());
    assertNotNull(m.get(6).total(), "step 7's loss was finite");
    assertNull(m.get(6).gradNorm(), "but its gradient was not");
    assertEquals(3, result.summary().skippedSteps());
    assertNotNull(m.get(9).total());
    try (RgeModel model = RgeModel.load(result.finalCheckpoint(), io.rge.core.DeviceChoice.CPU)) {
      for (ModelWeight w : model.network().weights().all()) {
        for (float v : w.value().toFloatArray()) {
          assertTrue(Float.isFinite(v), w.name() + " stayed finite");
        }
      }
    }
  }

  @Test
  void tooManyInARowStopTheRunAndLeaveTheLastCheckpointIntact() throws Exception {
    Path out = dir.resolve("stop");
    Trainer trainer = new Trainer(TestRuns.config(out, "max_consecutive_skips=3"));
    trainer.setHooks(
        new TrainerHooks() {
          @Override
          public void beforeStep(long step, RgeModel model) {
            if (step == 3) {
              poison(model);
            }
          }
        });
    TrainingStoppedException e = assertThrows(TrainingStoppedException.class, trainer::run);
    CheckpointStore store = new CheckpointStore(out.resolve(Trainer.CHECKPOINTS));
    assertTrue(
        e.getMessage()
            .startsWith(
                "training stopped: 3 steps in a row (through step 6) had a non-finite loss or"
                    + " gradient"),
        e.getMessage());
    assertTrue(e.getMessage().contains(store.folderFor(3) + ", is intact"), e.getMessage());
    assertEquals(List.of(store.folderFor(3)), store.list(), "nothing after the stop");
    assertEquals(Optional.empty(), store.verify(store.folderFor(3)));
    assertEquals(3, store.readState(store.folderFor(3)).step());
    List<StepMetrics> m = MetricsLog.read(out.resolve(Trainer.METRICS));
    assertEquals(6, m.size());
    assertFalse(m.get(2).skipped());
    assertTrue(m.get(3).skipped() && m.get(4).skipped() && m.get(5).skipped());
    assertFalse(Files.exists(out.resolve(Trainer.SUMMARY)));
    // The run resumes from the intact checkpoint and finishes.
    TrainResult resumed = new Trainer(TestRuns.config(out)).run();
    assertEquals(7, resumed.summary().stepsThisRun());
    assertEquals(0, resumed.summary().skippedSteps());
  }
}
