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
import io.rge.core.LoadOptions;
import io.rge.core.MultimodalInput;
import io.rge.core.RgeModel;
import io.rge.core.generation.GenerationRequest;
import io.rge.core.generation.GenerationSettings;
import io.rge.core.generation.GenerationSettings.Batching;
import io.rge.core.image.ImageGrid;
import io.rge.core.image.ProcessedImage;
import io.rge.core.prompt.PromptTokens;
import io.rge.core.qwen25vl.ImagePositions;
import io.rge.core.qwen25vl.ModelWeights;
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
 * parameter's gradient norm within 1e-3 relative (the fixture's queries are embedded after their
 * oracle rationale: the oracle-leak computation); the paper's rge mode against that verified
 * computation fed with generated rationales (losses and gradient tensors); the leakage guard.
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
    try (RgeModel model =
        RgeModel.load(
            LoadOptions.builder()
                .setModel(dir())
                .optDevice(DeviceChoice.CPU)
                .optPositions(positions)
                .build())) {
      model.network().weights().setTrainable(w -> true);
      // The fixture embeds queries after their oracle rationale in the same pass as the LM term:
      // the oracle-leak computation.
      ObjectiveSettings settings =
          new ObjectiveSettings(
              ObjectiveMode.ORACLE_LEAK, 1, 10, 0.02, 12, false, 4, Batching.CONTINUOUS);
      StepLosses losses =
          new RgeObjective(model)
              .step(List.of(fixtureBatch()), settings, ContrastiveBatch.MICRO, 1.0);
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
   * The prepare phase lays out, from the example texts, exactly the token sequences transformers
   * computed the fixture's loss from (oracle sequences with their labels, targets), and the
   * token-level entry point on those ids gives transformers' losses.
   */
  @Test
  void preparationBuildsTheFixtureSequencesAndTheirLossesAreTransformers() throws Exception {
    JsonNode expected =
        new ObjectMapper().readTree(dir().resolve("mrope/expected.json").toFile()).get("loss");
    try (RgeModel model = RgeModel.load(dir(), DeviceChoice.CPU);
        SafetensorsFile f = SafetensorsFile.open(dir().resolve("expected.safetensors"))) {
      RgeObjective objective = new RgeObjective(model);
      ObjectiveSettings settings =
          new ObjectiveSettings(
              ObjectiveMode.ORACLE_LEAK, 1, 10, 0.02, 12, false, 4, Batching.CONTINUOUS);
      TokenBatch textTokens = objective.prepare(fixtureBatch(), settings).tokens();
      FixtureRows fixture = FixtureRows.read(f);
      TokenBatch leak =
          new TokenBatch(
              fixture.oracle(),
              fixture.targets(),
              List.of(
                  TokenPosition.oracle(0, fixture.oracle().get(0).length() - 1),
                  TokenPosition.oracle(1, fixture.oracle().get(1).length() - 1)),
              List.of(
                  TokenPosition.embedding(0, fixture.targets().get(0).length() - 1),
                  TokenPosition.embedding(1, fixture.targets().get(1).length() - 1)));
      assertEquals(leak.queries(), textTokens.queries());
      assertEquals(leak.candidates(), textTokens.candidates());
      for (int r = 0; r < 2; r++) {
        assertArrayEquals(leak.oracle().get(r).ids(), textTokens.oracle().get(r).ids());
        assertArrayEquals(leak.oracle().get(r).labels(), textTokens.oracle().get(r).labels());
        assertArrayEquals(leak.embedding().get(r).ids(), textTokens.embedding().get(r).ids());
      }
      StepLosses tokens = objective.evaluate(leak, settings);
      assertRelative(expected.get("lm").asDouble(), tokens.lm(), 1e-5, "lm");
      assertRelative(expected.get("contrastive").asDouble(), tokens.contrastive(), 1e-5, "cl");
      assertRelative(expected.get("total").asDouble(), tokens.total(), 1e-5, "total");
    }
  }

  /**
   * The paper's rge mode against an independent reference assembled here: the fixture's oracle
   * sequences for the LM term (verified above against transformers), and as contrastive queries
   * each prompt followed by the rationale that verified generation ({@code GenerationParityTest})
   * writes for it, in the embedding pass before the targets. The text-level rge step gives that
   * batch's losses (1e-6) and every weight's gradient tensor (1e-5, relative L2).
   */
  @Test
  void rgeModeEqualsTheVerifiedComputationOnGeneratedRationales() throws Exception {
    JsonNode expected =
        new ObjectMapper().readTree(dir().resolve("mrope/expected.json").toFile()).get("loss");
    ObjectiveSettings rge =
        new ObjectiveSettings(ObjectiveMode.RGE, 1, 10, 0.02, 12, false, 1, Batching.CONTINUOUS);
    try (RgeModel model = RgeModel.load(dir(), DeviceChoice.CPU);
        SafetensorsFile f = SafetensorsFile.open(dir().resolve("expected.safetensors"))) {
      ModelWeights weights = model.network().weights();
      weights.setTrainable(w -> true);
      RgeObjective objective = new RgeObjective(model);
      StepLosses text = objective.step(List.of(fixtureBatch()), rge, ContrastiveBatch.MICRO, 1);
      Map<String, float[]> actual = GradCacheTest.gradients(weights);
      weights.zeroGradients();

      FixtureRows fixture = FixtureRows.read(f);
      List<TokenSequence> embedding = new ArrayList<>();
      List<TokenPosition> queries = new ArrayList<>();
      List<TokenPosition> candidates = new ArrayList<>();
      for (int r = 0; r < 2; r++) {
        TokenSequence oracle = fixture.oracle().get(r);
        int promptLength = firstLabelled(oracle.labels());
        int[] prompt = Arrays.copyOf(oracle.ids(), promptLength);
        int[] rationale =
            model
                .generate(
                    List.of(new GenerationRequest(prompt, oracle.images())),
                    GenerationSettings.greedy(12, 1))
                .get(0)
                .tokens(); // ends in <emb>
        assertEquals(model.tokenizer().embId(), rationale[rationale.length - 1]);
        int[] query = Arrays.copyOf(prompt, prompt.length + rationale.length);
        System.arraycopy(rationale, 0, query, prompt.length, rationale.length);
        embedding.add(TokenSequence.unlabelled(query, oracle.images()));
        queries.add(TokenPosition.embedding(r, query.length - 1));
      }
      for (int r = 0; r < 2; r++) {
        embedding.add(fixture.targets().get(r));
        candidates.add(TokenPosition.embedding(2 + r, fixture.targets().get(r).length() - 1));
      }
      StepLosses reference =
          objective.step(new TokenBatch(fixture.oracle(), embedding, queries, candidates), rge, 1);
      Map<String, float[]> referenceGradients = GradCacheTest.gradients(weights);

      assertRelative(expected.get("lm").asDouble(), text.lm(), 1e-5, "lm: the oracle's, as leak");
      assertRelative(reference.lm(), text.lm(), 1e-6, "lm");
      assertRelative(reference.contrastive(), text.contrastive(), 1e-6, "contrastive");
      assertRelative(reference.total(), text.total(), 1e-6, "total");
      assertNotEquals(expected.get("contrastive").asDouble(), text.contrastive(), 1e-3);
      assertEquals(2, text.generatedRationales());
      GradCacheTest.assertGradientsClose(referenceGradients, actual);
    }
  }

  private static int firstLabelled(int[] labels) {
    for (int t = 0; t < labels.length; t++) {
      if (labels[t] != PromptTokens.IGNORE) {
        return t;
      }
    }
    throw new IllegalArgumentException("no labelled position");
  }

  /** The fixture's loss case as token sequences: oracle sequences (labelled) and targets. */
  private record FixtureRows(List<TokenSequence> oracle, List<TokenSequence> targets) {
    static FixtureRows read(SafetensorsFile f) throws Exception {
      long[] g = f.readLongs("img0.image_grid_thw");
      ProcessedImage image =
          new ProcessedImage(
              f.readFloats("img0.pixel_values"),
              new ImageGrid((int) g[0], (int) g[1], (int) g[2]),
              1176);
      List<TokenSequence> oracle = new ArrayList<>();
      List<TokenSequence> targets = new ArrayList<>();
      for (int r = 0; r < 2; r++) {
        int[] ids = row(f, "loss.query_input_ids", r);
        int[] mask = row(f, "loss.query_attention_mask", r);
        int n = (int) Arrays.stream(mask).filter(m -> m == 1).count();
        oracle.add(
            new TokenSequence(
                Arrays.copyOf(ids, n),
                Arrays.copyOf(row(f, "loss.query_labels", r), n),
                r == 0 ? List.of(image) : List.of()));
        targets.add(TokenSequence.unlabelled(row(f, "loss.target_input_ids", r), List.of()));
      }
      return new FixtureRows(oracle, targets);
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
