package io.rge.core.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rge.core.image.ReferenceTensors;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Iterator;
import java.util.Objects;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class QwenTokenizerTest {
  static final String TINY = "/fixtures/qwen25vl-tiny/";
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;

  static String resourceText(String name) throws IOException {
    try (InputStream in =
        Objects.requireNonNull(QwenTokenizerTest.class.getResourceAsStream(name), name)) {
      return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    }
  }

  /** The fixture tokenizer, copied to a folder so it loads like a checkpoint's. */
  static Path fixtureFolder(Path dir) throws IOException {
    Path folder = dir.resolve("model");
    Files.createDirectories(folder);
    Files.writeString(folder.resolve("tokenizer.json"), resourceText(TINY + "tokenizer.json"));
    return folder;
  }

  @Test
  void specialTokenIdsAreTheFixtures() throws IOException {
    JsonNode special = JSON.readTree(resourceText(TINY + "expected.json")).get("special_ids");
    try (QwenTokenizer tok = QwenTokenizer.load(fixtureFolder(dir))) {
      Iterator<String> names = special.fieldNames();
      while (names.hasNext()) {
        String name = names.next();
        assertEquals(special.get(name).asInt(), tok.id(name), name);
      }
      assertEquals(special.get("<emb>").asInt(), tok.embId());
      assertEquals(special.get("<|endoftext|>").asInt(), tok.padId());
      assertEquals(special.get("<|im_start|>").asInt(), tok.imStartId());
      assertEquals(special.get("<|im_end|>").asInt(), tok.imEndId());
      assertEquals(special.get("<|vision_start|>").asInt(), tok.visionStartId());
      assertEquals(special.get("<|vision_end|>").asInt(), tok.visionEndId());
      assertEquals(special.get("<|image_pad|>").asInt(), tok.imagePadId());
      assertEquals(429, tok.size());
      assertFalse(tok.embAdded());
    }
  }

  @Test
  void encodesTheFixturePromptAsTransformersDid() throws IOException {
    String prompt =
        JSON.readTree(resourceText(TINY + "expected.json")).at("/cases/img0/prompt").asText();
    int[] want = ReferenceTensors.load(TINY + "expected.safetensors").i64Row("img0.input_ids", 0);
    try (QwenTokenizer tok = QwenTokenizer.load(fixtureFolder(dir).resolve("tokenizer.json"))) {
      assertArrayEquals(want, tok.encode(prompt));
      assertEquals(prompt, tok.decode(want, false));
      String visible = tok.decode(want, true);
      assertFalse(visible.contains("<|"), visible);
      assertTrue(visible.startsWith("system\nYou are a helpful assistant."), visible);
    }
  }

  @Test
  void neverTruncatesLongTexts() throws IOException {
    try (QwenTokenizer tok = QwenTokenizer.load(fixtureFolder(dir))) {
      assertEquals(2000, tok.encode("<|image_pad|>".repeat(2000)).length);
      String text = "The answer is a dog sitting on a sofa. ".repeat(200).strip();
      int[] ids = tok.encode(text);
      assertTrue(ids.length >= 2000, "only " + ids.length + " tokens");
      assertEquals(text, tok.decode(ids, false));
      int[] one = tok.encode("The answer is a dog sitting on a sofa.");
      assertArrayEquals(one, Arrays.copyOf(ids, one.length));
    }
  }

  @Test
  void unknownTokensAndIdsAreNamed() throws IOException {
    try (QwenTokenizer tok = QwenTokenizer.load(fixtureFolder(dir))) {
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> tok.id("<|no_such|>"));
      assertTrue(e.getMessage().contains("'<|no_such|>'"), e.getMessage());
      e = assertThrows(IllegalArgumentException.class, () -> tok.decode(new int[] {1, -3}, false));
      assertTrue(e.getMessage().contains("-3"), e.getMessage());
    }
  }

  @Test
  void idsPastTheTokenizerDecodeToNothingAsInTransformers() throws IOException {
    try (QwenTokenizer tok = QwenTokenizer.load(fixtureFolder(dir))) {
      int[] ids = tok.encode("the answer");
      int[] padded = Arrays.copyOf(ids, ids.length + 2);
      padded[ids.length] = 443; // an embedding row the tokenizer has no token for
      padded[ids.length + 1] = 511;
      assertEquals(tok.decode(ids, false), tok.decode(padded, false));
    }
  }

  @Test
  void addsEmbWhenMissingAndSavesIt() throws IOException {
    ObjectNode root = (ObjectNode) JSON.readTree(resourceText(TINY + "tokenizer.json"));
    ArrayNode added = (ArrayNode) root.get("added_tokens");
    for (int i = added.size() - 1; i >= 0; i--) {
      if ("<emb>".equals(added.get(i).get("content").asText())) {
        added.remove(i);
      }
    }
    Path original = dir.resolve("no-emb").resolve("tokenizer.json");
    Files.createDirectories(original.getParent());
    Files.writeString(original, JSON.writeValueAsString(root));
    byte[] before = Files.readAllBytes(original);

    Path saved = dir.resolve("saved").resolve("tokenizer.json");
    try (QwenTokenizer tok = QwenTokenizer.load(original)) {
      assertTrue(tok.embAdded());
      assertEquals(428, tok.embId(), "next free id after <|video_pad|> = 427");
      assertEquals(429, tok.size());
      int[] ids = tok.encode("a sofa<emb>");
      assertEquals(428, ids[ids.length - 1]);
      assertEquals("a sofa", tok.decode(ids, true));
      // The edit adds exactly one entry, the <emb> token, and changes nothing else.
      ObjectNode edited = (ObjectNode) JSON.readTree(tok.json());
      ArrayNode editedAdded = (ArrayNode) edited.get("added_tokens");
      JsonNode emb = editedAdded.remove(editedAdded.size() - 1);
      assertEquals(root, edited);
      assertEquals(
          JSON.readTree(
              "{\"id\":428,\"content\":\"<emb>\",\"single_word\":false,\"lstrip\":false,"
                  + "\"rstrip\":false,\"normalized\":false,\"special\":true}"),
          emb);
      tok.save(saved);
    }
    assertArrayEquals(before, Files.readAllBytes(original), "the user's file must not change");
    try (QwenTokenizer reloaded = QwenTokenizer.load(saved)) {
      assertFalse(reloaded.embAdded());
      assertEquals(428, reloaded.embId());
      assertEquals(429, reloaded.size());
    }
    try (var files = Files.list(saved.getParent())) {
      assertEquals(1, files.count(), "no temporary file may be left behind");
    }
  }

  @Test
  void savingAnUneditedTokenizerCopiesItByteForByte() throws IOException {
    Path folder = fixtureFolder(dir);
    Path copy = dir.resolve("copy.json");
    try (QwenTokenizer tok = QwenTokenizer.load(folder)) {
      tok.save(copy);
    }
    assertArrayEquals(
        Files.readAllBytes(folder.resolve("tokenizer.json")), Files.readAllBytes(copy));
  }

  @Test
  void aTokenizerWithoutQwenSpecialsIsRefusedByName() throws IOException {
    ObjectNode root = (ObjectNode) JSON.readTree(resourceText(TINY + "tokenizer.json"));
    ArrayNode added = (ArrayNode) root.get("added_tokens");
    for (int i = added.size() - 1; i >= 0; i--) {
      if ("<|im_start|>".equals(added.get(i).get("content").asText())) {
        added.remove(i);
      }
    }
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> QwenTokenizer.fromJson(JSON.writeValueAsString(root), "broken.json"));
    assertTrue(e.getMessage().contains("<|im_start|>"), e.getMessage());
    assertTrue(e.getMessage().contains("broken.json"), e.getMessage());
  }

  @Test
  void embOnlyInTheModelVocabularyBecomesASpecialTokenWithItsId() throws IOException {
    ObjectNode root = (ObjectNode) JSON.readTree(resourceText(TINY + "tokenizer.json"));
    ArrayNode added = (ArrayNode) root.get("added_tokens");
    added.remove(added.size() - 1);
    ((ObjectNode) root.get("model").get("vocab")).put("<emb>", 428);
    try (QwenTokenizer tok = QwenTokenizer.fromJson(JSON.writeValueAsString(root), "vocab-emb")) {
      assertTrue(tok.embAdded());
      assertEquals(428, tok.embId());
      assertEquals(429, tok.size());
      int[] ids = tok.encode("a sofa<emb>");
      assertEquals(428, ids[ids.length - 1], "matched whole, not split into BPE pieces");
    }
  }

  @Test
  void aJsonThatIsNoTokenizerIsNamed() throws IOException {
    ObjectNode root = (ObjectNode) JSON.readTree(resourceText(TINY + "tokenizer.json"));
    ((ObjectNode) root.get("model")).put("type", "NoSuchModel");
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> QwenTokenizer.fromJson(JSON.writeValueAsString(root), "odd.json"));
    assertTrue(e.getMessage().startsWith("odd.json"), e.getMessage());
  }

  @Test
  void malformedJsonNamesTheFile() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> QwenTokenizer.fromJson("{\"model\": ", "bad.json"));
    assertTrue(e.getMessage().startsWith("bad.json"), e.getMessage());
  }
}
