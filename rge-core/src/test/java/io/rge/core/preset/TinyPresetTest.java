package io.rge.core.preset;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rge.core.image.ImageGrid;
import io.rge.core.prompt.PromptTokens;
import io.rge.core.prompt.QwenChatPrompts;
import io.rge.core.qwen25vl.Qwen25VLConfig;
import io.rge.core.tokenizer.QwenTokenizer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TinyPresetTest {
  private static final List<String> TEXTS =
      List.of("i see a red circle .", "a blue square, left of the circle", "What is left?");

  @TempDir Path dir;

  @Test
  void sameInputsGiveByteIdenticalTokenizers() throws IOException {
    TinyPreset a = TinyPreset.create(TEXTS);
    TinyPreset b = TinyPreset.create(List.of(TEXTS.get(2), TEXTS.get(0), TEXTS.get(1), "red"));
    assertEquals(a.tokenizerJson(), b.tokenizerJson(), "order and repeats must not matter");
    assertEquals(a.config(), b.config());
    Path first = dir.resolve("one/tokenizer.json");
    Path second = dir.resolve("two/tokenizer.json");
    a.writeTokenizer(first);
    b.writeTokenizer(second);
    assertArrayEquals(Files.readAllBytes(first), Files.readAllBytes(second));
    assertNotEquals(a.tokenizerJson(), TinyPreset.create(List.of("green")).tokenizerJson());
  }

  @Test
  void encodeDecodeRoundTripsReadableText() throws IOException {
    TinyPreset preset = TinyPreset.create(TEXTS);
    Path file = dir.resolve("tokenizer.json");
    preset.writeTokenizer(file);
    try (QwenTokenizer tok = QwenTokenizer.load(file)) {
      int[] ids = tok.encode("i see a red circle .");
      assertEquals(6, ids.length, "one token per word");
      assertEquals("i see a red circle .", tok.decode(ids, false));
      // Punctuation splits off like HF's Whitespace pre-tokenizer.
      assertArrayEquals(ids, tok.encode("i see a red circle."));
      int[] unknown = tok.encode("a purple circle");
      assertEquals(0, unknown[1], "an unknown word is <unk>");
      assertEquals("a <unk> circle", tok.decode(unknown, false));
      assertEquals("a circle", tok.decode(unknown, true));
    }
  }

  @Test
  void specialTokensHaveTheIdsTheConfigDeclares() throws IOException {
    TinyPreset preset = TinyPreset.create(TEXTS);
    Qwen25VLConfig config = preset.config();
    try (QwenTokenizer tok = preset.tokenizer()) {
      assertFalse(tok.embAdded(), "<emb> is part of the preset");
      assertEquals(tok.size(), config.text().vocabSize());
      assertEquals(preset.vocabSize(), tok.size());
      assertEquals(tok.id("<|endoftext|>"), config.tokens().bos());
      assertEquals(tok.imEndId(), config.tokens().eos());
      assertEquals(tok.visionStartId(), config.tokens().visionStart());
      assertEquals(tok.visionEndId(), config.tokens().visionEnd());
      assertEquals(tok.id("<|vision_pad|>"), config.tokens().visionPad());
      assertEquals(tok.imagePadId(), config.tokens().imagePad());
      assertEquals(tok.id("<|video_pad|>"), config.tokens().videoPad());
      assertEquals(tok.size() - 1, tok.embId(), "<emb> is the last id");
      int[] ids = tok.encode("<|im_start|>a<emb>");
      assertArrayEquals(new int[] {tok.imStartId(), tok.id("a"), tok.embId()}, ids);
    }
  }

  @Test
  void chatTemplateWordsAreInTheVocabulary() throws IOException {
    TinyPreset preset = TinyPreset.create(List.of());
    try (QwenTokenizer tok = preset.tokenizer()) {
      for (String word :
          List.of("system", "You", "are", "a", "helpful", "assistant", ".", "user")) {
        assertTrue(tok.contains(word), word);
      }
      QwenChatPrompts prompts =
          new QwenChatPrompts(tok, preset.config().vision().spatialMergeSize());
      PromptTokens p = prompts.candidate("<|image_1|>a", new ImageGrid(1, 2, 2));
      for (int id : p.ids()) {
        assertNotEquals(0, id, "no <unk> in a prompt made of template words");
      }
      assertEquals(tok.embId(), p.id(p.labelStart()));
    }
  }

  @Test
  void defaultSizesAreTheDocumentedOnes() {
    Qwen25VLConfig c = TinyPreset.create(TEXTS).config();
    assertEquals(64, c.text().hiddenSize());
    assertEquals(128, c.text().intermediateSize());
    assertEquals(3, c.text().numHiddenLayers());
    assertEquals(4, c.text().numAttentionHeads());
    assertEquals(2, c.text().numKeyValueHeads());
    assertEquals(List.of(2, 3, 3), c.text().mropeSection());
    assertEquals(2, c.vision().depth());
    assertEquals(32, c.vision().hiddenSize());
    assertEquals(64, c.vision().intermediateSize());
    assertEquals(2, c.vision().numHeads());
    assertEquals(56, c.vision().windowSize());
    assertEquals(List.of(1), c.vision().fullattBlockIndexes());
    assertEquals(64, c.vision().outHiddenSize());
    assertTrue(c.tieWordEmbeddings());
  }

  @Test
  void optionsChangeSizesAndAreValidated() {
    TinyOptions bigger =
        TinyOptions.builder().text(128, 256, 2, 8, 4, List.of(2, 3, 3)).seed(7).build();
    Qwen25VLConfig c = TinyPreset.create(TEXTS, bigger).config();
    assertEquals(128, c.text().hiddenSize());
    assertEquals(128, c.vision().outHiddenSize());
    assertEquals(8, c.text().numAttentionHeads());
    assertEquals(7, bigger.seed());
    TinyOptions broken =
        TinyOptions.defaults().toBuilder().text(64, 128, 3, 4, 2, List.of(4, 4, 4)).build();
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> TinyPreset.create(TEXTS, broken));
    assertTrue(e.getMessage().contains("mrope_section"), e.getMessage());
  }

  @Test
  void imageProcessorFollowsThePatchGeometry() {
    TinyOptions o = TinyOptions.builder().patches(14, 2, 2, 112).build();
    var image = TinyPreset.create(TEXTS, o).imageProcessorConfig();
    assertEquals(14, image.patchSize());
    assertEquals(2, image.mergeSize());
    assertEquals(2, image.temporalPatchSize());
  }
}
