package io.rge.core.qwen25vl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rge.testfixtures.TestFixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelConfigReaderTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path tmp;

  private static final Qwen25VLConfig TINY =
      new Qwen25VLConfig(
          new TextConfig(512, 64, 128, 3, 4, 2, 1e-6, 1e6, List.of(2, 3, 3), 4096, "silu"),
          new VisionConfig(4, 32, 64, 2, 3, 64, 14, 2, 2, 56, List.of(1, 3), 2, "silu", 10000.0),
          new SpecialTokenIds(420, 422, 423, 424, 425, 426, 427),
          true);

  @Test
  void bothFixtureLayoutsGiveTheSameConfig() throws Exception {
    Qwen25VLConfig flat = ModelConfigReader.read(TestCheckpoints.tinyDir().resolve("config.json"));
    Qwen25VLConfig v5 = ModelConfigReader.read(TestCheckpoints.tinyV5Dir().resolve("config.json"));
    assertEquals(TINY, flat);
    assertEquals(TINY, v5);
  }

  @Test
  void readsThePublishedThreeBillionConfig() throws Exception {
    Qwen25VLConfig c =
        ModelConfigReader.read(TestFixtures.file("configs/qwen2.5-vl-3b-instruct.json"));
    assertEquals(
        new TextConfig(
            151936, 2048, 11008, 36, 16, 2, 1e-6, 1e6, List.of(16, 24, 24), 128000, "silu"),
        c.text());
    assertEquals(
        new VisionConfig(
            32, 1280, 3420, 16, 3, 2048, 14, 2, 2, 112, List.of(7, 15, 23, 31), 2, "silu", 10000.0),
        c.vision());
    assertEquals(
        new SpecialTokenIds(151643, 151645, 151652, 151653, 151654, 151655, 151656), c.tokens());
    assertTrue(c.tieWordEmbeddings());
  }

  // ---- errors -------------------------------------------------------------------------------

  private Path edited(Path source, Consumer<ObjectNode> edit) throws Exception {
    ObjectNode root = (ObjectNode) JSON.readTree(source.toFile());
    edit.accept(root);
    Path out = tmp.resolve("config.json");
    JSON.writeValue(out.toFile(), root);
    return out;
  }

  private Path flat(Consumer<ObjectNode> edit) throws Exception {
    return edited(TestCheckpoints.tinyDir().resolve("config.json"), edit);
  }

  private Path v5(Consumer<ObjectNode> edit) throws Exception {
    return edited(TestCheckpoints.tinyV5Dir().resolve("config.json"), edit);
  }

  private static void assertRejected(Path config, String... parts) {
    CheckpointException e =
        assertThrows(CheckpointException.class, () -> ModelConfigReader.read(config));
    assertTrue(e.getMessage().startsWith(config.toString() + ": "), e.getMessage());
    for (String part : parts) {
      assertTrue(e.getMessage().contains(part), "expected '" + part + "' in: " + e.getMessage());
    }
  }

  private static ObjectNode obj(JsonNode n, String key) {
    return (ObjectNode) n.get(key);
  }

  @Test
  void wrongModelType() throws Exception {
    assertRejected(
        flat(r -> r.put("model_type", "llava")), "'model_type'", "'llava'", "qwen2_5_vl");
    assertRejected(flat(r -> r.remove("model_type")), "field 'model_type' is missing");
  }

  @Test
  void missingFieldsAreNamedWithTheirPath() throws Exception {
    assertRejected(
        flat(r -> r.remove("num_hidden_layers")), "field 'num_hidden_layers' is missing");
    assertRejected(
        v5(r -> obj(r, "text_config").remove("num_hidden_layers")),
        "field 'text_config.num_hidden_layers' is missing");
    assertRejected(
        flat(r -> obj(r, "vision_config").remove("depth")),
        "field 'vision_config.depth' is missing");
    assertRejected(
        flat(r -> obj(r, "vision_config").remove(List.of("in_chans", "in_channels"))),
        "'vision_config.in_channels' (or 'vision_config.in_chans') is missing");
    assertRejected(flat(r -> r.remove("vision_config")), "field 'vision_config' is missing");
    assertRejected(flat(r -> r.remove("image_token_id")), "field 'image_token_id' is missing");
    assertRejected(flat(r -> r.remove("tie_word_embeddings")), "'tie_word_embeddings' is missing");
    assertRejected(
        flat(r -> obj(r, "rope_scaling").remove("mrope_section")),
        "field 'rope_scaling.mrope_section' is missing");
    assertRejected(flat(r -> r.remove("rope_scaling")), "'rope_scaling'", "missing");
  }

  @Test
  void wrongTypes() throws Exception {
    assertRejected(
        flat(r -> r.put("hidden_size", "64")),
        "field 'hidden_size' must be an integer, got \"64\"");
    assertRejected(flat(r -> r.put("hidden_size", 64.5)), "field 'hidden_size' must be an integer");
    assertRejected(
        flat(r -> r.put("rms_norm_eps", "small")), "field 'rms_norm_eps' must be a number");
    assertRejected(
        flat(r -> r.put("tie_word_embeddings", "yes")),
        "'tie_word_embeddings' must be true or false");
    assertRejected(
        flat(r -> obj(r, "vision_config").put("fullatt_block_indexes", 3)),
        "'vision_config.fullatt_block_indexes' must be an array of integers");
    assertRejected(flat(r -> r.put("vision_config", 1)), "'vision_config' must be an object");
  }

  @Test
  void mropeSectionMustSumToHalfTheHeadDim() throws Exception {
    assertRejected(
        flat(r -> ((ArrayNode) obj(r, "rope_scaling").get("mrope_section")).set(2, 4)),
        "field 'rope_scaling.mrope_section' [2, 3, 4]",
        "head_dim/2 = 8");
    assertRejected(
        v5(
            r ->
                ((ArrayNode) obj(obj(r, "text_config"), "rope_parameters").get("mrope_section"))
                    .remove(2)),
        "field 'text_config.rope_parameters.mrope_section' [2, 3]",
        "3 non-negative parts");
  }

  @Test
  void inconsistentValuesFromTheRecordsNameTheFile() throws Exception {
    assertRejected(
        flat(r -> r.put("hidden_size", 66)),
        "hidden_size 66 is not divisible by num_attention_heads 4");
    assertRejected(
        flat(r -> r.put("num_key_value_heads", 3)),
        "num_attention_heads 4 is not divisible by num_key_value_heads 3");
    assertRejected(
        flat(r -> obj(r, "vision_config").put("out_hidden_size", 32)),
        "vision_config.out_hidden_size 32 must equal hidden_size 64");
    assertRejected(
        flat(r -> r.put("vocab_size", 400)), "special token id 420 is outside vocab_size 400");
    assertRejected(flat(r -> r.put("hidden_act", "gelu")), "hidden_act", "'gelu'");
    assertRejected(
        flat(r -> obj(r, "vision_config").put("in_chans", 4)),
        "'vision_config.in_channels' 3 and 'vision_config.in_chans' 4 disagree");
  }

  @Test
  void unsupportedVariants() throws Exception {
    assertRejected(
        flat(r -> obj(r, "rope_scaling").put("type", "yarn")), "'rope_scaling.type' is 'yarn'");
    assertRejected(flat(r -> r.put("use_sliding_window", true)), "'use_sliding_window' is true");
    assertRejected(flat(r -> r.put("head_dim", 32)), "'head_dim' 32");
    assertRejected(
        v5(r -> obj(r, "text_config").put("tie_word_embeddings", false)),
        "'text_config.tie_word_embeddings' disagree");
  }

  @Test
  void acceptsTheRopeScalingThatTransformers4Writes() throws Exception {
    // transformers 4.x rewrites {type: mrope} as {type: default, rope_type: default} on save.
    Path config =
        flat(
            r -> {
              obj(r, "rope_scaling").put("type", "default");
              obj(r, "rope_scaling").put("rope_type", "default");
            });
    assertEquals(TINY, ModelConfigReader.read(config));
  }

  @Test
  void visionRopeThetaComesFromRopeParametersWhenGiven() throws Exception {
    Path config = v5(r -> obj(obj(r, "vision_config"), "rope_parameters").put("rope_theta", 500.0));
    assertEquals(500.0, ModelConfigReader.read(config).vision().ropeTheta());
  }

  @Test
  void malformedJson() throws Exception {
    Path config = tmp.resolve("config.json");
    Files.writeString(config, "{\"model_type\": \"qwen2_5_vl\",");
    CheckpointException e =
        assertThrows(CheckpointException.class, () -> ModelConfigReader.read(config));
    // One line: file, line and column of the fault, without Jackson's "[Source: …]" excerpt.
    assertTrue(e.getMessage().startsWith(config + ":1:29: malformed JSON: "), e.getMessage());
    assertFalse(e.getMessage().contains("\n"), e.getMessage());
    Files.writeString(config, "[1]");
    assertRejected(config, "not a JSON object");
  }

  // ---- writer ------------------------------------------------------------------------------

  @Test
  void writerRoundTripsAndWritesTheFlatPublishedLayout() throws Exception {
    Path out = tmp.resolve("out/config.json");
    ModelConfigWriter.write(TINY, out);
    assertEquals(TINY, ModelConfigReader.read(out));

    JsonNode json = JSON.readTree(out.toFile());
    assertEquals("Qwen2_5_VLForConditionalGeneration", json.get("architectures").get(0).asText());
    assertEquals("qwen2_5_vl", json.get("model_type").asText());
    assertEquals("float32", json.get("torch_dtype").asText());
    assertEquals("mrope", json.get("rope_scaling").get("type").asText());
    assertEquals("[2,3,3]", json.get("rope_scaling").get("mrope_section").toString());
    assertEquals(1e6, json.get("rope_theta").asDouble());
    assertEquals(3, json.get("vision_config").get("in_chans").asInt());
    assertEquals(3, json.get("vision_config").get("in_channels").asInt());
    assertEquals(425, json.get("vision_token_id").asInt());
    assertTrue(json.get("tie_word_embeddings").asBoolean());
    assertFalse(json.has("text_config"), "flat layout");

    Qwen25VLConfig threeB =
        ModelConfigReader.read(TestFixtures.file("configs/qwen2.5-vl-3b-instruct.json"));
    ModelConfigWriter.write(threeB, out); // replaces the existing file
    assertEquals(threeB, ModelConfigReader.read(out));
    try (Stream<Path> files = Files.list(out.getParent())) {
      assertEquals(List.of(out), files.toList(), "no temporary files left behind");
    }
  }
}
