package io.rge.training.objective;

import static io.rge.training.objective.ObjectiveParityTest.assertRelative;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import io.rge.core.DeviceChoice;
import io.rge.core.MultimodalInput;
import io.rge.core.RgeModel;
import io.rge.core.generation.GenerationSettings.Batching;
import io.rge.core.qwen25vl.ModelWeight;
import io.rge.core.qwen25vl.ModelWeights;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * GradCache is exact: one InfoNCE over 4 micro-batches of 4 (the objective's embed, contrast and
 * backpropagate phases) gives the losses (1e-6) and weight gradients (1e-5, relative L2 per weight)
 * of one batch of 16 (one pass), in every mode, with hard negatives and a positive shared across
 * micro-batches (masked across the whole step); each query's rationale is generated once.
 */
class GradCacheTest {
  private static final String[] COLOURS = {"red", "blue", "green", "yellow"};
  private static final String[] SHAPES = {"circle", "square", "star", "ring"};

  @ParameterizedTest
  @EnumSource(ObjectiveMode.class)
  void fourMicroBatchesOfFourEqualOneBatchOfSixteen(ObjectiveMode mode) throws Exception {
    List<TrainExample> rows = examples();
    // Generation one row at a time: a row's greedy rationale does not depend on its neighbours.
    ObjectiveSettings s = new ObjectiveSettings(mode, 1, 10, 0.02, 3, true, 1, Batching.CONTINUOUS);
    try (RgeModel model = RgeModel.load(ObjectiveParityTest.dir(), DeviceChoice.CPU)) {
      ModelWeights weights = model.network().weights();
      weights.setTrainable(w -> true);
      RgeObjective objective = new RgeObjective(model);

      StepLosses one = objective.step(List.of(rows), s, ContrastiveBatch.MICRO, 1.0);
      Map<String, float[]> expected = gradients(weights);
      weights.zeroGradients();
      List<List<TrainExample>> micro = new ArrayList<>();
      for (int k = 0; k < 4; k++) {
        micro.add(rows.subList(4 * k, 4 * k + 4));
      }
      StepLosses step = objective.step(micro, s, ContrastiveBatch.STEP, 1.0);
      Map<String, float[]> actual = gradients(weights);

      assertRelative(one.contrastive(), step.contrastive(), 1e-6, "contrastive");
      assertRelative(one.total(), step.total(), 1e-6, "total");
      if (mode != ObjectiveMode.BASELINE) {
        assertRelative(one.lm(), step.lm(), 1e-6, "lm");
      }
      // rge generates for every query, oracle-leak for the 3 rows without an oracle rationale.
      int generated =
          switch (mode) {
            case RGE -> 16;
            case ORACLE_LEAK -> 3;
            case BASELINE -> 0;
          };
      assertEquals(generated, step.generatedRationales());
      assertEquals(one.generatedRationales(), step.generatedRationales());
      assertEquals(16, step.examples());
      assertEquals(1, step.groups(), "one InfoNCE over the step");
      assertGradientsClose(expected, actual);
    }
  }

  /**
   * Each weight's gradient within 1e-5 of the expected one (relative L2), and most weights with a
   * gradient.
   */
  static void assertGradientsClose(Map<String, float[]> expected, Map<String, float[]> actual) {
    int compared = 0;
    for (Map.Entry<String, float[]> e : expected.entrySet()) {
      double diff = 0;
      double norm = 0;
      float[] g = actual.get(e.getKey());
      for (int i = 0; i < g.length; i++) {
        diff += Math.pow(g[i] - e.getValue()[i], 2);
        norm += Math.pow(e.getValue()[i], 2);
      }
      assertTrue(
          Math.sqrt(diff) <= 1e-5 * Math.sqrt(norm),
          e.getKey() + ": relative difference " + Math.sqrt(diff / norm));
      compared += norm > 0 ? 1 : 0;
    }
    assertTrue(compared > expected.size() / 2, "most weights have a gradient: " + compared);
  }

  /**
   * 16 rows: images and texts, oracle rationales on most, a hard negative on some, and rows 1 and 9
   * (micro-batches 0 and 2) sharing their positive.
   */
  static List<TrainExample> examples() throws Exception {
    BufferedImage image = ImageIO.read(ObjectiveParityTest.dir().resolve("image0.png").toFile());
    List<TrainExample> rows = new ArrayList<>();
    for (int i = 0; i < 16; i++) {
      String colour = COLOURS[i % 4];
      String shape = SHAPES[(i / 4 + i) % 4];
      MultimodalInput query =
          i % 8 == 0
              ? new MultimodalInput("<|image_1|>What is the colour of the " + shape + "?", image)
              : MultimodalInput.text("Find a " + colour + " " + shape + " number " + i);
      MultimodalInput target =
          MultimodalInput.text(
              i == 9 ? "a blue square" : "a " + colour + " " + shape + " in row " + i);
      if (i == 1) {
        target = MultimodalInput.text("a blue square");
      }
      List<MultimodalInput> negatives =
          i % 4 == 2 ? List.of(MultimodalInput.text("not a " + shape)) : List.of();
      String rationale = i % 5 == 4 ? null : "it shows a " + colour + " " + shape + " .";
      rows.add(new TrainExample(query, rationale, target, negatives));
    }
    return rows;
  }

  static Map<String, float[]> gradients(ModelWeights weights) {
    Map<String, float[]> out = new LinkedHashMap<>();
    for (ModelWeight w : weights.trainable()) {
      try (NDArray g = w.value().getGradient()) {
        out.put(w.name(), g.toFloatArray());
      }
    }
    return out;
  }
}
