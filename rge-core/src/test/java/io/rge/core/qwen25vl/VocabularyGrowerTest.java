package io.rge.core.qwen25vl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.ndarray.NDManager;
import io.rge.core.DjlEngine;
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

  private static float[] read(WeightSource source, String name, long... shape) {
    return source.floats(name, shape);
  }

  @Test
  void growsEmbeddingAndUntiedHeadWithRowMeans() {
    Qwen25VLConfig config = TestCheckpoints.smallConfig(false);
    Map<String, float[]> values = weights(config);
    WeightSource grown = VocabularyGrower.grow(TestCheckpoints.sourceOf(values), config, 9);

    float[] embed = read(grown, CheckpointLayout.EMBED_TOKENS, 9, 8);
    float[] head = read(grown, CheckpointLayout.LM_HEAD, 9, 8);
    assertEquals(9 * 8, embed.length);
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
    // Everything else passes through untouched.
    assertSame(values.get("model.norm.weight"), read(grown, "model.norm.weight", 8));
    assertEquals(48, values.get(CheckpointLayout.EMBED_TOKENS).length, "input unchanged");
  }

  @Test
  void nothingToDoWhenTheVocabularyIsLargeEnough() {
    Qwen25VLConfig config = TestCheckpoints.smallConfig(true);
    WeightSource base = TestCheckpoints.sourceOf(weights(config));
    assertSame(base, VocabularyGrower.grow(base, config, 6));
    assertThrows(IllegalArgumentException.class, () -> VocabularyGrower.grow(base, config, 5));
  }

  /**
   * The production path end to end: a model built from the grown source (tied: only the embedding
   * grows), saved from its live weights, reopened with the grown config.
   */
  @Test
  void grownModelIsSavedAndReloadedWithItsNewVocabulary() throws Exception {
    Qwen25VLConfig config = TestCheckpoints.smallConfig(true);
    Qwen25VLConfig grownConfig = config.withVocabSize(7);
    WeightSource grown =
        VocabularyGrower.grow(TestCheckpoints.sourceOf(weights(config)), config, 7);
    Path dir = tmp.resolve("grown");
    try (NDManager parent = DjlEngine.get().newBaseManager();
        Qwen25VLModel model = Qwen25VLModel.create(grownConfig, grown, parent)) {
      CheckpointWriter.write(
          dir,
          grownConfig,
          model.weights().currentValues(),
          CheckpointWriter.DEFAULT_MAX_SHARD_BYTES);
    }
    Qwen25VLConfig reread = ModelConfigReader.read(dir.resolve("config.json"));
    assertEquals(grownConfig, reread);
    float[] embed = TestCheckpoints.load(dir, reread).get(CheckpointLayout.EMBED_TOKENS);
    assertEquals(7 * 8, embed.length);
    for (int c = 0; c < 8; c++) {
      assertEquals(25f + c, embed[6 * 8 + c], "new row = column mean");
      assertEquals(10f + c, embed[8 + c], "old row 1 kept");
    }
  }
}
