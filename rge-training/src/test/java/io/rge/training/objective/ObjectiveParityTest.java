package io.rge.training.objective;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.rge.core.DeviceChoice;
import io.rge.core.MultimodalInput;
import io.rge.core.RgeModel;
import io.rge.core.image.ImageGrid;
import io.rge.core.image.ProcessedImage;
import io.rge.core.qwen25vl.ImagePositions;
import io.rge.core.safetensors.SafetensorsFile;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
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

  /**
   * The token-level entry point on the fixture's own ids (queries teacher-forced in one pass,
   * targets in another) computes what the text level computes from the example texts.
   */
  @Test
  void tokenLevelStepEqualsTextLevelStep() throws Exception {
    try (RgeModel model = RgeModel.load(dir(), DeviceChoice.CPU);
        SafetensorsFile f = SafetensorsFile.open(dir().resolve("expected.safetensors"))) {
      RgeObjective objective = new RgeObjective(model);
      StepLosses text =
          objective.evaluate(
              fixtureBatch(
                  "There is a blue circle to the left of the red square.",
                  "Look for an underwater scene with manta rays."),
              new ObjectiveSettings(ObjectiveMode.ORACLE_LEAK, 1, 10, 0.02, 12, false, 4));
      float[][] textQueries = objective.lastQueryEmbeddings();
      long[] g = f.readLongs("img0.image_grid_thw");
      ProcessedImage image =
          new ProcessedImage(
              f.readFloats("img0.pixel_values"),
              new ImageGrid((int) g[0], (int) g[1], (int) g[2]),
              1176);
      List<TokenSequence> queries = new ArrayList<>();
      List<TokenSequence> targets = new ArrayList<>();
      List<TokenPosition> queryAt = new ArrayList<>();
      List<TokenPosition> targetAt = new ArrayList<>();
      for (int r = 0; r < 2; r++) {
        int[] ids = row(f, "loss.query_input_ids", r);
        int[] mask = row(f, "loss.query_attention_mask", r);
        int n = (int) Arrays.stream(mask).filter(m -> m == 1).count();
        queries.add(
            new TokenSequence(
                Arrays.copyOf(ids, n),
                Arrays.copyOf(row(f, "loss.query_labels", r), n),
                r == 0 ? List.of(image) : List.of()));
        queryAt.add(new TokenPosition(0, r, n - 1));
        int[] target = row(f, "loss.target_input_ids", r);
        targets.add(TokenSequence.unlabelled(target, List.of()));
        targetAt.add(new TokenPosition(1, r, target.length - 1));
      }
      StepLosses tokens =
          objective.evaluate(
              new TokenBatch(List.of(queries, targets), queryAt, targetAt), LossWeights.paper());
      assertRelative(text.lm(), tokens.lm(), 1e-6, "lm");
      assertRelative(text.contrastive(), tokens.contrastive(), 1e-5, "contrastive");
      assertRelative(text.total(), tokens.total(), 1e-6, "total");
      float[][] tokenQueries = objective.lastQueryEmbeddings();
      for (int i = 0; i < 2; i++) {
        for (int j = 0; j < textQueries[i].length; j++) {
          assertEquals(textQueries[i][j], tokenQueries[i][j], 1e-6, "query " + i);
        }
      }
    }
  }

  @Test
  void tokenBatchRejectsPositionsOutsideItsSequences() {
    TokenSequence s = TokenSequence.unlabelled(new int[] {1, 2, 3}, List.of());
    List<List<TokenSequence>> passes = List.of(List.of(s));
    assertThrows(
        IllegalArgumentException.class,
        () ->
            new TokenBatch(
                passes, List.of(new TokenPosition(0, 0, 3)), List.of(new TokenPosition(0, 0, 2))));
    assertThrows(
        IllegalArgumentException.class,
        () ->
            new TokenBatch(
                passes, List.of(new TokenPosition(1, 0, 0)), List.of(new TokenPosition(0, 0, 2))));
    assertThrows(
        IllegalArgumentException.class,
        () -> new TokenBatch(passes, List.of(new TokenPosition(0, 0, 2)), List.of()));
    assertThrows(
        IllegalArgumentException.class,
        () -> new TokenSequence(new int[] {1, 2}, new int[] {1, 2}, List.of()));
  }

  private static int[] row(SafetensorsFile f, String tensor, int r) throws Exception {
    long[] all = f.readLongs(tensor);
    int cols = (int) f.info(tensor).shape()[1];
    int[] out = new int[cols];
    for (int i = 0; i < cols; i++) {
      out[i] = Math.toIntExact(all[r * cols + i]);
    }
    return out;
  }

  static void assertRelative(double expected, double actual, double tolerance, String what) {
    double rel = Math.abs(actual - expected) / Math.max(Math.abs(expected), 1e-12);
    assertTrue(
        rel < tolerance,
        what + ": expected " + expected + ", got " + actual + " (rel " + rel + ")");
  }
}
