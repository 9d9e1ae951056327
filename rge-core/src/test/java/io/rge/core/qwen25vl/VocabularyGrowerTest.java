package io.rge.core.qwen25vl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rge.core.safetensors.Precision;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VocabularyGrowerTest {
  @TempDir Path tmp;

  /** Weights of the small config with hand-chosen embedding and head rows. */
  private static Map<String, float[]> weights(Qwen25VLConfig config) {
    Map<String, float[]> w = TestCheckpoints.weightsFor(config);
    float[] embed = new float[6 * 8];
    float[] head = new float[6 * 8];
    for (int r = 0; r < 6; r++) {
      for (int c = 0; c < 8; c++) {
        embed[r * 8 + c] = r * 10 + c; // column mean over rows 0..5: 25 + c
        head[r * 8 + c] = r - 0.5f * c; // column mean: 2.5 - 0.5 c
      }
    }
    w.put(CheckpointLayout.EMBED_TOKENS, embed);
    if (!config.tieWordEmbeddings()) {
      w.put(CheckpointLayout.LM_HEAD, head);
    }
    return w;
  }

  @Test
  void growsEmbeddingAndUntiedHeadWithRowMeans() {
    Qwen25VLConfig config = TestCheckpoints.smallConfig(false);
    Map<String, float[]> values = weights(config);
    WeightSet before = WeightSet.fromFloats(config, values, Precision.FP32);

    VocabularyGrower.Result grown = VocabularyGrower.grow(config, before, 9);

    assertEquals(new VocabularyGrowth(6, 9), grown.growth());
    assertTrue(grown.growth().grew());
    assertEquals(9, grown.config().text().vocabSize());
    assertEquals(config.vision(), grown.config().vision());
    assertArrayEquals(new long[] {9, 8}, grown.weights().shape(CheckpointLayout.EMBED_TOKENS));
    assertArrayEquals(new long[] {9, 8}, grown.weights().shape(CheckpointLayout.LM_HEAD));

    float[] embed = grown.weights().floats(CheckpointLayout.EMBED_TOKENS);
    float[] head = grown.weights().floats(CheckpointLayout.LM_HEAD);
    assertArrayEquals(
        values.get(CheckpointLayout.EMBED_TOKENS), Arrays.copyOf(embed, 48), "old rows kept");
    assertArrayEquals(
        values.get(CheckpointLayout.LM_HEAD), Arrays.copyOf(head, 48), "old rows kept");
    for (int r = 6; r < 9; r++) {
      for (int c = 0; c < 8; c++) {
        assertEquals(25f + c, embed[r * 8 + c], "embed row " + r + " col " + c);
        assertEquals(2.5f - 0.5f * c, head[r * 8 + c], "head row " + r + " col " + c);
      }
    }
    // Everything else is untouched.
    assertEquals(before.buffer("model.norm.weight"), grown.weights().buffer("model.norm.weight"));
    assertEquals(6, before.shape(CheckpointLayout.EMBED_TOKENS)[0], "input set unchanged");
  }

  @Test
  void growsOnlyTheEmbeddingWhenTiedAndWorksInFp16() {
    Qwen25VLConfig config = TestCheckpoints.smallConfig(true);
    WeightSet before = WeightSet.fromFloats(config, weights(config), Precision.FP16);
    VocabularyGrower.Result grown = VocabularyGrower.grow(config, before, 7);
    assertFalse(grown.weights().contains(CheckpointLayout.LM_HEAD));
    assertEquals(Precision.FP16, grown.weights().precision());
    float[] embed = grown.weights().floats(CheckpointLayout.EMBED_TOKENS);
    for (int c = 0; c < 8; c++) {
      assertEquals(25f + c, embed[6 * 8 + c], "25..32 are exact in fp16");
    }
  }

  @Test
  void nothingToDoWhenTheVocabularyIsLargeEnough() {
    Qwen25VLConfig config = TestCheckpoints.smallConfig(true);
    WeightSet before = WeightSet.fromFloats(config, weights(config), Precision.FP32);
    VocabularyGrower.Result same = VocabularyGrower.grow(config, before, 6);
    assertFalse(same.growth().grew());
    assertSame(before, same.weights());
    assertSame(config, same.config());
  }

  @Test
  void grownModelIsSavedAndReloadedWithItsNewVocabulary() throws Exception {
    Qwen25VLConfig config = TestCheckpoints.smallConfig(false);
    WeightSet before = WeightSet.fromFloats(config, weights(config), Precision.FP32);
    VocabularyGrower.Result grown = VocabularyGrower.grow(config, before, 9);
    Path dir = tmp.resolve("grown");
    CheckpointWriter.write(
        dir, grown.config(), grown.weights(), CheckpointWriter.DEFAULT_MAX_SHARD_BYTES);
    Qwen25VLConfig reread = ModelConfigReader.read(dir.resolve("config.json"));
    assertEquals(grown.config(), reread);
    WeightSet loaded = WeightLoader.load(dir, reread, Precision.FP32);
    assertArrayEquals(
        grown.weights().floats(CheckpointLayout.LM_HEAD), loaded.floats(CheckpointLayout.LM_HEAD));
  }
}
