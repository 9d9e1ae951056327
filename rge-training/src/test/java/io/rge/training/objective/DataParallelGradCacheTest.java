package io.rge.training.objective;

import static io.rge.training.objective.GradCacheTest.assertGradientsClose;
import static io.rge.training.objective.GradCacheTest.examples;
import static io.rge.training.objective.GradCacheTest.gradients;
import static io.rge.training.objective.ObjectiveParityTest.assertRelative;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.Device;
import io.rge.core.DeviceChoice;
import io.rge.core.RgeModel;
import io.rge.core.generation.GenerationSettings.Batching;
import io.rge.core.qwen25vl.ModelWeight;
import io.rge.core.qwen25vl.ModelWeights;
import io.rge.training.parallel.DataParallel;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Data parallelism is exact: the objective's one step on two workers (replicas on the CPU, each
 * with half of every micro-batch) leaves on the lead the gradients (1e-5, relative L2 per weight)
 * and losses (1e-6) of the same step on one worker, and both those of one big batch in one pass, in
 * every mode — with hard negatives, InfoNCE negatives from the other worker's rows, a positive
 * shared by rows on different workers (rows 1 and 9, masked), workers holding different numbers of
 * LM tokens (rows 4, 9 and 14 have no oracle rationale) — and generate each query's rationale once,
 * on the worker that holds it.
 */
class DataParallelGradCacheTest {
  // Generation one row at a time: a row's greedy rationale does not depend on its neighbours.
  private static ObjectiveSettings settings(ObjectiveMode mode) {
    return new ObjectiveSettings(mode, 1, 10, 0.02, 3, true, 1, Batching.CONTINUOUS);
  }

  @ParameterizedTest
  @EnumSource(ObjectiveMode.class)
  void twoWorkersEqualOneModelOnTheBatch(ObjectiveMode mode) throws Exception {
    List<TrainExample> rows = examples();
    ObjectiveSettings s = settings(mode);
    try (RgeModel model = RgeModel.load(ObjectiveParityTest.dir(), DeviceChoice.CPU)) {
      ModelWeights weights = model.network().weights();
      trainAll(model);
      StepLosses one = new RgeObjective(model).step(List.of(rows), s, ContrastiveBatch.MICRO, 1);
      Map<String, float[]> expected = gradients(weights);
      weights.zeroGradients();
      try (DataParallel parallel = twoReplicas(model)) {
        StepLosses two =
            new RgeObjective(parallel.workers()).step(List.of(rows), s, ContrastiveBatch.MICRO, 1);
        assertEquals(1, two.groups());
        assertRelative(one.contrastive(), two.contrastive(), 1e-6, "contrastive");
        assertRelative(one.total(), two.total(), 1e-6, "total");
        if (mode != ObjectiveMode.BASELINE) {
          assertRelative(one.lm(), two.lm(), 1e-6, "lm");
        }
        int generated =
            switch (mode) {
              case RGE -> 16;
              case ORACLE_LEAK -> 3;
              case BASELINE -> 0;
            };
        assertEquals(generated, two.generatedRationales());
        assertGradientsClose(expected, gradients(weights));
      }
    }
  }

  @Test
  void aStepWideInfoNceOnOneOrTwoWorkersEqualsOneBigBatch() throws Exception {
    List<TrainExample> rows = examples();
    ObjectiveSettings s = settings(ObjectiveMode.RGE);
    List<List<TrainExample>> micro = List.of(rows.subList(0, 8), rows.subList(8, 16));
    try (RgeModel model = RgeModel.load(ObjectiveParityTest.dir(), DeviceChoice.CPU)) {
      ModelWeights weights = model.network().weights();
      trainAll(model);
      RgeObjective inline = new RgeObjective(model);
      StepLosses big = inline.step(List.of(rows), s, ContrastiveBatch.MICRO, 1);
      Map<String, float[]> expected = gradients(weights);
      weights.zeroGradients();
      StepLosses one = inline.step(micro, s, ContrastiveBatch.STEP, 1);
      Map<String, float[]> oneWorker = gradients(weights);
      weights.zeroGradients();
      try (DataParallel parallel = twoReplicas(model)) {
        StepLosses two =
            new RgeObjective(parallel.workers()).step(micro, s, ContrastiveBatch.STEP, 1);
        for (StepLosses l : List.of(one, two)) {
          assertEquals(1, l.groups());
          assertRelative(big.total(), l.total(), 1e-6, "total");
          assertRelative(big.lm(), l.lm(), 1e-6, "lm");
          assertRelative(big.contrastive(), l.contrastive(), 1e-6, "contrastive");
          assertEquals(16, l.generatedRationales());
        }
        Map<String, float[]> twoWorkers = gradients(weights);
        assertGradientsClose(expected, oneWorker);
        assertGradientsClose(expected, twoWorkers);
        assertGradientsClose(oneWorker, twoWorkers);
      }
    }
  }

  private static DataParallel twoReplicas(RgeModel lead) {
    return DataParallel.start(
        lead,
        trainAll(lead),
        List.of(Device.cpu(), Device.cpu()),
        DataParallelGradCacheTest::trainAll,
        0);
  }

  private static List<ModelWeight> trainAll(RgeModel model) {
    model.network().weights().setTrainable(w -> true);
    return model.network().weights().trainable();
  }
}
