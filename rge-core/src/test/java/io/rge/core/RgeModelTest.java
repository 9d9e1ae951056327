package io.rge.core;

import static io.rge.core.FloatAsserts.assertClose;
import static io.rge.core.FloatAsserts.norm;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rge.core.generation.GenerationSettings;
import io.rge.core.image.ReferenceTensors;
import io.rge.core.preset.TinyPreset;
import io.rge.core.prompt.PromptTokens;
import io.rge.core.qwen25vl.CheckpointWeights;
import io.rge.core.qwen25vl.ModelConfigReader;
import io.rge.core.qwen25vl.WeightLoader;
import io.rge.core.safetensors.SafetensorsFile;
import io.rge.core.safetensors.SafetensorsWriter;
import io.rge.testfixtures.TestFixtures;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The public model API on qwen25vl-tiny: reasoning query embeddings against transformers (the 3-D
 * M-RoPE reference), batching, saving and loading, vocabulary growth, presets and release.
 */
class RgeModelTest {
  private static final String QUESTION =
      "Represent the given image with the following question: what is left of the red square?";
  private static final ReferenceTensors MROPE =
      ReferenceTensors.load("/fixtures/qwen25vl-tiny/mrope/expected.safetensors");
  private static RgeModel model;
  private static BufferedImage image0;
  private static BufferedImage image1;

  static Path tinyDir() throws Exception {
    return TestFixtures.tinyModel();
  }

  @BeforeAll
  static void load() throws Exception {
    model = RgeModel.load(tinyDir(), DeviceChoice.CPU);
    image0 = ImageIO.read(tinyDir().resolve("image0.png").toFile());
    image1 = ImageIO.read(tinyDir().resolve("image1.png").toFile());
  }

  @AfterAll
  static void close() {
    model.close();
  }

  @Test
  void reasoningQueryMatchesTransformers() {
    MultimodalInput query = new MultimodalInput("<|image_1|>" + QUESTION, image0);
    // The API's prompt is the reference's prompt, token for token.
    int[] prompt =
        model
            .prompts()
            .queryForGeneration(query.promptText(), model.imageProcessor().process(image0).grid())
            .ids();
    assertArrayEquals(MROPE.i64Row("img0.input_ids", 0), prompt);
    QueryEmbedding q =
        model.embedQueries(List.of(query), true, GenerationSettings.greedy(12, 4)).get(0);
    int[] sequence = MROPE.i64Row("img0.rge_sequence", 0);
    int[] rationale = Arrays.copyOfRange(sequence, prompt.length, sequence.length - 1);
    assertArrayEquals(rationale, q.rationaleTokens());
    assertTrue(q.embAppended(), "the reference appended <emb> after 12 tokens");
    assertClose(MROPE.f32("img0.rge_embedding"), q.vector(), 1e-4);
    // The random model writes id 443, a padding row of the embedding past the tokenizer's 429
    // tokens (as Qwen's vocabulary is larger than its tokenizer): no text.
    assertTrue(rationale[0] >= model.tokenizer().size());
    assertEquals("", q.rationale());
  }

  /**
   * Without reasoning a query is its prompt + {@code <emb>}: the reference's right-padded batch
   * holds two such sequences (an image one and a text one), with the normalised hidden state at
   * each {@code <emb>}.
   */
  @Test
  void withoutReasoningAQueryIsEmbeddedAtItsPromptsEmb() {
    List<MultimodalInput> queries =
        List.of(
            new MultimodalInput(
                "<|image_1|>Find an image caption describing the given everyday image", image0),
            MultimodalInput.text(
                "Find me an everyday image that matches the given caption: a dog on a sofa"));
    float[] expected = MROPE.f32("batch_right.emb_embeddings"); // [2, 64]
    List<QueryEmbedding> embedded =
        model.embedQueries(queries, false, GenerationSettings.greedy(0, 2));
    for (int r = 0; r < 2; r++) {
      MultimodalInput q = queries.get(r);
      var grid = q.image() == null ? null : model.imageProcessor().process(q.image()).grid();
      int[] sequence = model.prompts().candidate(q.promptText(), grid).ids();
      int[] reference = MROPE.i64Row("batch_right.input_ids", r);
      assertArrayEquals(Arrays.copyOf(reference, sequence.length), sequence, "row " + r);
      QueryEmbedding e = embedded.get(r);
      assertEquals("", e.rationale());
      assertEquals(0, e.rationaleTokens().length);
      assertClose(Arrays.copyOfRange(expected, r * 64, (r + 1) * 64), e.vector(), 1e-4);
    }
  }

  /**
   * Evaluation prepares inputs (image processed, prompt tokenised) ahead of the model: a prepared
   * query holds the reference's prompt ids, and an input prepared for the other prompt is refused
   * rather than embedded at the wrong token.
   */
  @Test
  void aPreparedQueryHoldsTheReferencePromptAndAMismatchIsRefused() {
    MultimodalInput query = new MultimodalInput("<|image_1|>" + QUESTION, image0);
    PreparedInput prepared = model.prepareQuery(query, true);
    assertArrayEquals(MROPE.i64Row("img0.input_ids", 0), prepared.promptIds());
    assertTrue(prepared.forGeneration());
    assertNull(prepared.source().image(), "the processed pixels replace the decoded image");
    PreparedInput plain = model.prepareQuery(query, false);
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                model.embedPreparedQueries(List.of(plain), true, GenerationSettings.greedy(2, 1)));
    assertTrue(e.getMessage().contains("not prepared for generation"), e.getMessage());
    assertThrows(
        IllegalArgumentException.class,
        () -> model.embedPreparedCandidates(List.of(prepared), 1),
        "a generation prompt ends before <emb>");
  }

  /**
   * Training's LM sequence from a prepared query: the reference's generation prompt, then the
   * rationale and {@code <emb>}, labelled from the rationale on.
   */
  @Test
  void aPreparedQueryWithItsRationaleContinuesTheReferencePrompt() {
    MultimodalInput query = new MultimodalInput("<|image_1|>" + QUESTION, image0);
    PreparedInput prepared = model.prepareQuery(query, true);
    String rationale = "the square is red";
    PromptTokens taught = model.prepareWithRationale(prepared, rationale);
    int[] prompt = MROPE.i64Row("img0.input_ids", 0);
    assertArrayEquals(prompt, Arrays.copyOf(taught.ids(), prompt.length), "the prompt first");
    assertEquals(prompt.length, taught.labelStart(), "labels from the rationale on");
    assertEquals(model.tokenizer().embId(), taught.id(taught.length() - 1), "ends in <emb>");
    int[] written = Arrays.copyOfRange(taught.ids(), prompt.length, taught.length() - 1);
    assertEquals(rationale, model.tokenizer().decode(written, true));
    assertThrows(
        IllegalArgumentException.class,
        () -> model.prepareWithRationale(model.prepareQuery(query, false), rationale),
        "a candidate prompt already ends in <emb>");
  }

  @Test
  void aCandidateAloneEqualsItsPlaceInABatch() {
    List<MultimodalInput> candidates =
        List.of(
            MultimodalInput.text("a short one"),
            new MultimodalInput("<|image_1|> Represent the given image.", image0),
            MultimodalInput.text(
                "a much longer candidate text that forces the others to be padded"),
            new MultimodalInput("Find the picture", image1));
    List<float[]> batched = model.embedCandidates(candidates, 3);
    List<float[]> together = model.embedCandidates(candidates, 32);
    for (int i = 0; i < candidates.size(); i++) {
      float[] alone = model.embedCandidate(candidates.get(i));
      assertEquals(64, alone.length);
      assertEquals(1.0, norm(alone), 1e-5, "normalised");
      assertClose(alone, batched.get(i), 1e-5);
      assertClose(alone, together.get(i), 1e-5);
    }
    assertNotEquals(
        Arrays.toString(together.get(0)), Arrays.toString(together.get(2)), "inputs differ");
  }

  /**
   * The written folder has the layout transformers reads, as the fixture (written by transformers'
   * {@code save_pretrained}) shows it: the same tensor names, dtypes and shapes, {@code format: pt}
   * metadata (transformers refuses safetensors without it), and every field of its {@code
   * config.json} with the same value but the sliding-window ones, which transformers reads only
   * with {@code use_sliding_window: true} (RGE writes false and its reader refuses true).
   */
  private static void assertTransformersLayout(Path reference, Path saved) throws Exception {
    try (SafetensorsFile expected = SafetensorsFile.open(reference.resolve("model.safetensors"));
        SafetensorsFile actual = SafetensorsFile.open(saved.resolve("model.safetensors"))) {
      assertEquals(expected.names(), actual.names(), "tensor names");
      for (String name : expected.names()) {
        assertEquals(expected.info(name).dtype(), actual.info(name).dtype(), name);
        assertArrayEquals(expected.info(name).shape(), actual.info(name).shape(), name);
      }
      assertEquals("pt", actual.metadata().get("format"));
    }
    ObjectMapper json = new ObjectMapper();
    JsonNode expected = json.readTree(reference.resolve("config.json").toFile());
    JsonNode actual = json.readTree(saved.resolve("config.json").toFile());
    assertFalse(actual.get("use_sliding_window").asBoolean());
    ((ObjectNode) expected).remove(List.of("sliding_window", "max_window_layers"));
    assertSameFields("", expected, actual);
  }

  /** Every field of {@code expected} (recursively) is in {@code actual} with an equal value. */
  private static void assertSameFields(String path, JsonNode expected, JsonNode actual) {
    if (!expected.isObject()) {
      // 1e-06 and 1.0E-6 are the same number: compare numbers by value.
      if (expected.isNumber() && actual.isNumber()) {
        assertEquals(expected.doubleValue(), actual.doubleValue(), path);
      } else {
        assertEquals(expected, actual, path);
      }
      return;
    }
    for (var fields = expected.fields(); fields.hasNext(); ) {
      var field = fields.next();
      String at = path + "/" + field.getKey();
      assertTrue(actual.has(field.getKey()), "config.json lacks " + at);
      assertSameFields(at, field.getValue(), actual.get(field.getKey()));
    }
  }

  @Test
  void saveThenLoadGivesTheSameModel(@TempDir Path tmp) throws Exception {
    Path saved = tmp.resolve("saved");
    CheckpointFolderWriter.of(model).write(saved);
    for (String file :
        List.of("config.json", "model.safetensors", "tokenizer.json", "preprocessor_config.json")) {
      assertTrue(Files.isRegularFile(saved.resolve(file)), file);
    }
    // The folder passes the strict loader on its own: every tensor, nothing extra.
    try (CheckpointWeights strict =
        WeightLoader.open(
            saved,
            ModelConfigReader.read(saved.resolve("config.json")),
            WeightLoader.Strictness.STRICT)) {
      assertTrue(strict.names().contains("model.embed_tokens.weight"));
    }
    assertTransformersLayout(tinyDir(), saved);
    MultimodalInput candidate = new MultimodalInput("<|image_1|> a picture", image1);
    try (RgeModel reloaded = RgeModel.load(saved, DeviceChoice.CPU)) {
      assertEquals(model.fingerprint(), reloaded.fingerprint());
      assertFalse(reloaded.vocabularyGrowth().grew());
      assertArrayEquals(model.embedCandidate(candidate), reloaded.embedCandidate(candidate));
      GenerationSettings five = GenerationSettings.greedy(5, 1);
      MultimodalInput query = MultimodalInput.text("what is this?");
      assertArrayEquals(
          model.embedQueries(List.of(query), true, five).get(0).vector(),
          reloaded.embedQueries(List.of(query), true, five).get(0).vector());
    }
  }

  /**
   * A checkpoint whose tokenizer lacks {@code <emb>} and whose embedding has no spare row: the
   * tokenizer gains {@code <emb>} and the embedding a row, the mean of the others.
   */
  @Test
  void aTokenizerWithoutEmbGrowsTheVocabularyByTheMeanRow(@TempDir Path tmp) throws Exception {
    int vocab = 428; // every id of the fixture tokenizer except <emb> (428)
    int hidden = 64;
    Path dir = tmp.resolve("no-emb");
    Files.createDirectories(dir);
    ObjectMapper json = new ObjectMapper();
    ObjectNode config = (ObjectNode) json.readTree(tinyDir().resolve("config.json").toFile());
    config.put("vocab_size", vocab);
    json.writeValue(dir.resolve("config.json").toFile(), config);
    ObjectNode tokenizer = (ObjectNode) json.readTree(tinyDir().resolve("tokenizer.json").toFile());
    ArrayNode added = (ArrayNode) tokenizer.get("added_tokens");
    for (int i = added.size() - 1; i >= 0; i--) {
      if (added.get(i).get("content").asText().equals("<emb>")) {
        added.remove(i);
      }
    }
    json.writeValue(dir.resolve("tokenizer.json").toFile(), tokenizer);
    Files.copy(
        tinyDir().resolve("preprocessor_config.json"), dir.resolve("preprocessor_config.json"));
    float[] embedding;
    SafetensorsWriter writer = new SafetensorsWriter();
    try (SafetensorsFile f = SafetensorsFile.open(tinyDir().resolve("model.safetensors"))) {
      for (String name : f.names()) {
        float[] values = f.readFloats(name);
        long[] shape = f.info(name).shape();
        if (name.equals("model.embed_tokens.weight")) {
          values = Arrays.copyOf(values, vocab * hidden);
          shape = new long[] {vocab, hidden};
        }
        writer.addFloats(name, shape, values);
      }
      embedding = Arrays.copyOf(f.readFloats("model.embed_tokens.weight"), vocab * hidden);
    }
    writer.write(dir.resolve("model.safetensors"));

    try (RgeModel grown = RgeModel.load(dir, DeviceChoice.CPU)) {
      assertTrue(grown.vocabularyGrowth().grew());
      assertEquals(vocab, grown.vocabularyGrowth().oldSize());
      assertEquals(vocab + 1, grown.vocabularyGrowth().newSize());
      assertEquals(vocab + 1, grown.config().text().vocabSize());
      assertEquals(vocab, grown.tokenizer().embId());
      NDArray table = grown.network().weights().get("model.embed_tokens.weight").value();
      float[] rows = table.toFloatArray();
      assertEquals((vocab + 1) * hidden, rows.length);
      for (int c = 0; c < hidden; c++) {
        double mean = 0;
        for (int r = 0; r < vocab; r++) {
          mean += embedding[r * hidden + c];
        }
        mean /= vocab;
        assertEquals(mean, rows[vocab * hidden + c], 1e-6, "column " + c + " of the new row");
      }
      assertArrayEquals(embedding, Arrays.copyOf(rows, vocab * hidden), "old rows unchanged");
      // The grown model embeds: candidates end in the new token.
      assertEquals(hidden, grown.embedCandidate(MultimodalInput.text("hello")).length);
    }
  }

  private static RgeModel preset(TinyPreset preset, long seed) throws Exception {
    return RgeModel.load(
        LoadOptions.builder().setPreset(preset, seed).optDevice(DeviceChoice.CPU).build());
  }

  @Test
  void presetsAreDeterministicPerSeed() throws Exception {
    TinyPreset preset = TinyPreset.create(List.of("a red circle .", "a blue square"));
    MultimodalInput text = MultimodalInput.text("a red square");
    try (RgeModel a = preset(preset, 7);
        RgeModel b = preset(preset, 7);
        RgeModel c = preset(preset, 8)) {
      assertEquals(a.fingerprint(), b.fingerprint());
      assertNotEquals(a.fingerprint(), c.fingerprint());
      assertArrayEquals(a.embedCandidate(text), b.embedCandidate(text));
      assertFalse(Arrays.equals(a.embedCandidate(text), c.embedCandidate(text)));
    }
  }

  @Test
  void closeReleasesTheWeights() throws Exception {
    RgeModel m = RgeModel.load(tinyDir(), DeviceChoice.CPU);
    NDArray weight = m.network().weights().get("model.norm.weight").value();
    assertTrue(m.manager().isOpen());
    m.close();
    assertFalse(m.manager().isOpen());
    assertTrue(weight.isReleased());
    IllegalStateException e =
        assertThrows(
            IllegalStateException.class,
            () -> m.embedCandidate(MultimodalInput.text("after close")));
    assertTrue(e.getMessage().contains("closed"), e.getMessage());
    m.close(); // a second close is harmless
  }
}
