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
import io.rge.core.generation.GenerationSettings.Batching;
import io.rge.core.image.ImageGrid;
import io.rge.core.image.ProcessedImage;
import io.rge.core.qwen25vl.ImagePositions;
import io.rge.core.safetensors.SafetensorsFile;
import io.rge.testfixtures.TestFixtures;
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
    return TestFixtures.tinyModel();
  }

  /**
   * The fixture's loss case (make_fixtures.py): two queries with oracle rationales, two targets.
   */
  static List<TrainExample> fixtureBatch() throws Exception {
    return fixtureBatch(
        "There is a blue circle to the left of the red square.",
        "Look for an underwater scene with manta rays.");
  }

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
          new ObjectiveSettings(
              ObjectiveMode.ORACLE_LEAK, 1, 10, 0.02, 12, false, 4, Batching.CONTINUOUS);
      StepLosses losses =
          new RgeObjective(model).accumulateGradients(fixtureBatch(), settings, 1.0);
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
          new ObjectiveSettings(ObjectiveMode.RGE, 1, 10, 0.02, 6, false, 4, Batching.CONTINUOUS);
      List<TrainExample> first = fixtureBatch();
      List<TrainExample> second =
          fixtureBatch("The answer is a dog sitting on a sofa.", "red green blue yellow");
      TokenBatch a = objective.prepare(first, settings).tokens();
      TokenBatch b = objective.prepare(second, settings).tokens();
      assertEquals(2, a.queries().size());
      for (int i = 0; i < 2; i++) {
        assertEquals(TokenPosition.Pass.EMBEDDING, a.queries().get(i).pass(), "query " + i);
        assertEquals(a.queries().get(i), b.queries().get(i), "query " + i + " position");
        assertArrayEquals(
            a.sequence(a.queries().get(i)).ids(),
            b.sequence(b.queries().get(i)).ids(),
            "query " + i + " tokens, whatever the oracle text");
      }
      StepLosses lossA = objective.evaluate(first, settings);
      StepLosses lossB = objective.evaluate(second, settings);
      assertNotEquals(lossA.lm(), lossB.lm(), "the LM term follows the oracle text");
      assertEquals(lossA.contrastive(), lossB.contrastive(), 0.0);
      assertEquals(2, lossA.generatedRationales());
      // In oracle-leak mode the queries are the oracle sequences: the same change moves them.
      ObjectiveSettings leak =
          new ObjectiveSettings(
              ObjectiveMode.ORACLE_LEAK, 1, 10, 0.02, 6, false, 4, Batching.CONTINUOUS);
      TokenBatch leakA = objective.prepare(first, leak).tokens();
      TokenBatch leakB = objective.prepare(second, leak).tokens();
      assertEquals(TokenPosition.Pass.ORACLE, leakA.queries().get(0).pass());
      assertFalse(
          Arrays.equals(
              leakA.sequence(leakA.queries().get(0)).ids(),
              leakB.sequence(leakB.queries().get(0)).ids()));
      assertNotEquals(
          objective.evaluate(first, leak).contrastive(),
          objective.evaluate(second, leak).contrastive());
    }
  }

  /**
   * The token-level entry point on the fixture's own ids (queries teacher-forced in the oracle
   * pass, targets in the embedding pass) computes what the text level computes from the example
   * texts, whose token sequences are the fixture's.
   */
  @Test
  void tokenLevelStepEqualsTextLevelStep() throws Exception {
    try (RgeModel model = RgeModel.load(dir(), DeviceChoice.CPU);
        SafetensorsFile f = SafetensorsFile.open(dir().resolve("expected.safetensors"))) {
      RgeObjective objective = new RgeObjective(model);
      ObjectiveSettings settings =
          new ObjectiveSettings(
              ObjectiveMode.ORACLE_LEAK, 1, 10, 0.02, 12, false, 4, Batching.CONTINUOUS);
      List<TrainExample> examples = fixtureBatch();
      TokenBatch textTokens = objective.prepare(examples, settings).tokens();
      StepLosses text = objective.evaluate(examples, settings);
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
        queryAt.add(TokenPosition.oracle(r, n - 1));
        int[] target = row(f, "loss.target_input_ids", r);
        targets.add(TokenSequence.unlabelled(target, List.of()));
        targetAt.add(TokenPosition.embedding(r, target.length - 1));
      }
      TokenBatch fixture = new TokenBatch(queries, targets, queryAt, targetAt);
      assertEquals(fixture.queries(), textTokens.queries());
      assertEquals(fixture.candidates(), textTokens.candidates());
      for (int r = 0; r < 2; r++) {
        assertArrayEquals(fixture.oracle().get(r).ids(), textTokens.oracle().get(r).ids());
        assertArrayEquals(fixture.oracle().get(r).labels(), textTokens.oracle().get(r).labels());
        assertArrayEquals(fixture.embedding().get(r).ids(), textTokens.embedding().get(r).ids());
      }
      StepLosses tokens = objective.evaluate(fixture, settings);
      assertRelative(text.lm(), tokens.lm(), 1e-6, "lm");
      assertRelative(text.contrastive(), tokens.contrastive(), 1e-5, "contrastive");
      assertRelative(text.total(), tokens.total(), 1e-6, "total");
    }
  }

  @Test
  void tokenBatchRejectsPositionsOutsideItsSequences() {
    TokenSequence s = TokenSequence.unlabelled(new int[] {1, 2, 3}, List.of());
    List<TokenSequence> pass = List.of(s);
    assertThrows(
        IllegalArgumentException.class,
        () ->
            new TokenBatch(
                pass,
                List.of(),
                List.of(TokenPosition.oracle(0, 3)),
                List.of(TokenPosition.oracle(0, 2))));
    assertThrows(
        IllegalArgumentException.class,
        () ->
            new TokenBatch(
                pass,
                List.of(),
                List.of(TokenPosition.embedding(0, 0)),
                List.of(TokenPosition.oracle(0, 2))));
    assertThrows(
        IllegalArgumentException.class,
        () -> new TokenBatch(pass, List.of(), List.of(TokenPosition.oracle(0, 2)), List.of()));
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
