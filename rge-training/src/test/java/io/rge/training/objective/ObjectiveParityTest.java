package io.rge.training.objective;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.rge.core.DeviceChoice;
import io.rge.core.MultimodalInput;
import io.rge.core.RgeModel;
import io.rge.core.qwen25vl.ImagePositions;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The joint objective against transformers on qwen25vl-tiny: losses within 1e-5 relative and every
 * parameter's gradient norm within 1e-3 relative, plus the leakage guard.
 */
class ObjectiveParityTest {
  static Path dir() throws Exception {
    return Path.of(
            ObjectiveParityTest.class.getResource("/fixtures/qwen25vl-tiny/config.json").toURI())
        .getParent();
  }

  /**
   * The fixture's loss case (make_fixtures.py): two queries with oracle rationales, two targets.
   */
  static List<TrainExample> fixtureBatch(String firstRationale, String secondRationale)
      throws Exception {
    BufferedImage image = ImageIO.read(dir().resolve("image0.png").toFile());
    return List.of(
        new TrainExample(
            new MultimodalInput("<|image_1|>What is left of the red square?", image),
            firstRationale,
            MultimodalInput.text("Summarize the following answer in one word: blue circle"),
            List.of()),
        new TrainExample(
            MultimodalInput.text("Find a caption for: two manta rays"),
            secondRationale,
            MultimodalInput.text("Represent the given caption: manta rays under water"),
            List.of()));
  }

  @ParameterizedTest
  @CsvSource({"expected.json, SEQUENTIAL", "mrope/expected.json, GRID"})
  void lossesAndGradientNormsMatchTransformers(String reference, ImagePositions positions)
      throws Exception {
    JsonNode expected = new ObjectMapper().readTree(dir().resolve(reference).toFile()).get("loss");
    try (RgeModel model = RgeModel.load(dir(), DeviceChoice.CPU, positions)) {
      model.network().weights().setTrainable(w -> true);
      // The fixture embeds queries after their oracle rationale in the same pass as the LM term:
      // the oracle-leak computation.
      ObjectiveSettings settings =
          new ObjectiveSettings(ObjectiveMode.ORACLE_LEAK, 1, 10, 0.02, 12, false, 4);
      StepLosses losses =
          new RgeObjective(model)
              .accumulateGradients(
                  fixtureBatch(
                      "There is a blue circle to the left of the red square.",
                      "Look for an underwater scene with manta rays."),
                  settings,
                  1.0);
      assertRelative(expected.get("lm").asDouble(), losses.lm(), 1e-5, "lm");
      assertRelative(expected.get("contrastive").asDouble(), losses.contrastive(), 1e-5, "cl");
      assertRelative(expected.get("total").asDouble(), losses.total(), 1e-5, "total");
      Map<String, Double> norms = model.network().weights().gradientNorms();
      JsonNode grads = expected.get("grad_norms");
      assertEquals(grads.size(), norms.size(), "every parameter has a gradient");
      Iterator<Map.Entry<String, JsonNode>> it = grads.fields();
      while (it.hasNext()) {
        Map.Entry<String, JsonNode> e = it.next();
        assertTrue(norms.containsKey(e.getKey()), "gradient of " + e.getKey());
        assertRelative(e.getValue().asDouble(), norms.get(e.getKey()), 1e-3, e.getKey());
      }
    }
  }

  @Test
  void rgeQueriesNeverSeeTheOracleText() throws Exception {
    try (RgeModel model = RgeModel.load(dir(), DeviceChoice.CPU)) {
      RgeObjective objective = new RgeObjective(model);
      ObjectiveSettings settings =
          new ObjectiveSettings(ObjectiveMode.RGE, 1, 10, 0.02, 6, false, 4);
      StepLosses a =
          objective.evaluate(
              fixtureBatch(
                  "There is a blue circle to the left of the red square.",
                  "Look for an underwater scene with manta rays."),
              settings);
      float[][] queriesA = objective.lastQueryEmbeddings();
      StepLosses b =
          objective.evaluate(
              fixtureBatch("The answer is a dog sitting on a sofa.", "red green blue yellow"),
              settings);
      float[][] queriesB = objective.lastQueryEmbeddings();
      assertNotEquals(a.lm(), b.lm(), "the LM term follows the oracle text");
      assertEquals(2, queriesA.length);
      for (int i = 0; i < queriesA.length; i++) {
        assertArrayEquals(queriesA[i], queriesB[i], "query " + i + " embedding, bit for bit");
      }
      assertEquals(a.contrastive(), b.contrastive(), 0.0);
      // In oracle-leak mode the same change moves the query embeddings.
      ObjectiveSettings leak =
          new ObjectiveSettings(ObjectiveMode.ORACLE_LEAK, 1, 10, 0.02, 6, false, 4);
      objective.evaluate(
          fixtureBatch(
              "There is a blue circle to the left of the red square.",
              "Look for an underwater scene with manta rays."),
          leak);
      float[][] leakA = objective.lastQueryEmbeddings();
      objective.evaluate(
          fixtureBatch("The answer is a dog sitting on a sofa.", "red green blue yellow"), leak);
      assertFalse(java.util.Arrays.equals(leakA[0], objective.lastQueryEmbeddings()[0]));
    }
  }

  static void assertRelative(double expected, double actual, double tolerance, String what) {
    double rel = Math.abs(actual - expected) / Math.max(Math.abs(expected), 1e-12);
    assertTrue(
        rel < tolerance,
        what + ": expected " + expected + ", got " + actual + " (rel " + rel + ")");
  }
}
