package io.rge.core.qwen25vl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.rge.core.safetensors.RawSafetensors;
import io.rge.testfixtures.TestFixtures;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class CheckpointLayoutTest {

  private static long parameters(Map<String, long[]> shapes) {
    long total = 0;
    for (long[] s : shapes.values()) {
      long n = 1;
      for (long d : s) {
        n *= d;
      }
      total += n;
    }
    return total;
  }

  @Test
  void tableMatchesTheTensorsTransformersSaved() throws Exception {
    Qwen25VLConfig config =
        ModelConfigReader.read(TestCheckpoints.tinyDir().resolve("config.json"));
    RawSafetensors raw = RawSafetensors.of(TestCheckpoints.tinyDir().resolve("model.safetensors"));
    Map<String, long[]> saved = new TreeMap<>();
    raw.header()
        .fields()
        .forEachRemaining(
            e -> {
              if (!e.getKey().equals("__metadata__")) {
                long[] shape = new long[e.getValue().get("shape").size()];
                for (int i = 0; i < shape.length; i++) {
                  shape[i] = e.getValue().get("shape").get(i).asLong();
                }
                saved.put(e.getKey(), shape);
              }
            });
    Map<String, long[]> expected = CheckpointLayout.expectedShapes(config);
    assertEquals(saved.keySet(), expected.keySet());
    saved.forEach((name, shape) -> assertArrayEquals(shape, expected.get(name), name));
  }

  @Test
  void publishedThreeBillionModelHasItsKnownParameterCount() throws Exception {
    Qwen25VLConfig config =
        ModelConfigReader.read(TestFixtures.file("configs/qwen2.5-vl-3b-instruct.json"));
    Map<String, long[]> shapes = CheckpointLayout.expectedShapes(config);
    // Hugging Face reports 3,754,622,976 parameters for Qwen/Qwen2.5-VL-3B-Instruct (tied).
    assertEquals(3_754_622_976L, parameters(shapes));
    assertFalse(shapes.containsKey(CheckpointLayout.LM_HEAD));
    assertArrayEquals(new long[] {5120, 5120}, shapes.get("visual.merger.mlp.0.weight"));
    assertArrayEquals(new long[] {2048, 5120}, shapes.get("visual.merger.mlp.2.weight"));
    assertArrayEquals(
        new long[] {256, 2048}, shapes.get("model.layers.35.self_attn.k_proj.weight"));
    assertArrayEquals(
        new long[] {1280, 3, 2, 14, 14}, shapes.get("visual.patch_embed.proj.weight"));
  }

  @Test
  void untiedModelsHaveAnLmHead() {
    Map<String, long[]> tied = CheckpointLayout.expectedShapes(TestCheckpoints.smallConfig(true));
    Map<String, long[]> untied =
        CheckpointLayout.expectedShapes(TestCheckpoints.smallConfig(false));
    assertEquals(tied.size() + 1, untied.size());
    assertArrayEquals(new long[] {6, 8}, untied.get(CheckpointLayout.LM_HEAD));
  }

  @Test
  void mapsTransformers5NamesToCanonicalOnes() {
    assertEquals(
        "model.layers.3.mlp.up_proj.weight",
        CheckpointLayout.canonicalName("model.language_model.layers.3.mlp.up_proj.weight"));
    assertEquals(
        "model.embed_tokens.weight",
        CheckpointLayout.canonicalName("model.language_model.embed_tokens.weight"));
    assertEquals(
        "visual.merger.mlp.0.bias",
        CheckpointLayout.canonicalName("model.visual.merger.mlp.0.bias"));
    assertEquals("lm_head.weight", CheckpointLayout.canonicalName("lm_head.weight"));
    assertEquals(
        "visual.blocks.0.norm1.weight",
        CheckpointLayout.canonicalName("visual.blocks.0.norm1.weight"));
    assertEquals("model.norm.weight", CheckpointLayout.canonicalName("model.norm.weight"));
  }
}
