package io.rge.core.qwen25vl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rge.core.safetensors.DType;
import io.rge.core.safetensors.HalfFloat;
import io.rge.core.safetensors.Precision;
import io.rge.core.safetensors.RawSafetensors;
import io.rge.core.safetensors.SafetensorsException;
import io.rge.core.safetensors.SafetensorsWriter;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WeightLoaderTest {
  @TempDir Path tmp;

  private static Qwen25VLConfig config;
  private static Map<String, float[]> fixture;

  @BeforeAll
  static void readFixture() throws Exception {
    config = ModelConfigReader.read(TestCheckpoints.tinyDir().resolve("config.json"));
    fixture = TestCheckpoints.floatsOf(TestCheckpoints.tinyDir().resolve("model.safetensors"));
  }

  /** Writes {@code tensors} as F32 into a new checkpoint folder with the tiny config. */
  private Path checkpoint(String name, Map<String, float[]> tensors) throws Exception {
    Path dir = tmp.resolve(name);
    TestCheckpoints.copyConfig(TestCheckpoints.tinyDir(), dir);
    Map<String, long[]> shapes =
        TestCheckpoints.shapesOf(TestCheckpoints.tinyDir().resolve("model.safetensors"));
    SafetensorsWriter w = new SafetensorsWriter();
    tensors.forEach(
        (n, v) -> {
          String key = n.equals(CheckpointLayout.LM_HEAD) ? CheckpointLayout.EMBED_TOKENS : n;
          long[] shape = shapes.get(CheckpointLayout.canonicalName(key));
          w.addFloats(n, shape != null ? shape : new long[] {v.length}, v);
        });
    w.write(dir.resolve("model.safetensors"));
    return dir;
  }

  private static void assertMessage(Exception e, String... parts) {
    for (String part : parts) {
      assertTrue(e.getMessage().contains(part), "expected '" + part + "' in: " + e.getMessage());
    }
  }

  @Test
  void bothFixtureLayoutsLoadIdentically() throws Exception {
    try (CheckpointWeights flat =
            WeightLoader.open(TestCheckpoints.tinyDir(), config, WeightLoader.Strictness.STRICT);
        CheckpointWeights v5 =
            WeightLoader.open(
                TestCheckpoints.tinyV5Dir(), config, WeightLoader.Strictness.STRICT)) {
      assertEquals(CheckpointLayout.expectedShapes(config).keySet(), flat.names());
      assertEquals(flat.names(), v5.names());
      for (String name : flat.names()) {
        assertArrayEquals(flat.shape(name), v5.shape(name), name);
        float[] values = flat.floats(name, flat.shape(name));
        assertArrayEquals(values, v5.floats(name, v5.shape(name)), name);
        assertArrayEquals(fixture.get(name), values, name);
      }
      // Spot checks against bytes decoded by hand, independent of the reader.
      RawSafetensors raw =
          RawSafetensors.of(TestCheckpoints.tinyDir().resolve("model.safetensors"));
      for (String name :
          new String[] {
            "model.embed_tokens.weight",
            "visual.patch_embed.proj.weight",
            "model.layers.2.self_attn.v_proj.bias"
          }) {
        float[] loaded = flat.floats(name, flat.shape(name));
        for (int i : new int[] {0, 1, 7, loaded.length / 2, loaded.length - 1}) {
          assertEquals(raw.f32(name, i), loaded[i], name + "[" + i + "]");
        }
      }
    }
  }

  @Test
  void readsTensorsAsLittleEndianFp32AndFp16Buffers() throws Exception {
    try (CheckpointWeights w =
        WeightLoader.open(TestCheckpoints.tinyDir(), config, WeightLoader.Strictness.STRICT)) {
      ByteBuffer b = w.read("model.norm.weight", Precision.FP32);
      assertTrue(b.isDirect());
      assertEquals(ByteOrder.LITTLE_ENDIAN, b.order());
      assertEquals(64 * 4, b.remaining());
      assertEquals(fixture.get("model.norm.weight")[5], b.getFloat(20));

      String name = "visual.merger.mlp.2.weight";
      float[] expected = fixture.get(name);
      ByteBuffer half = w.read(name, Precision.FP16);
      assertEquals(expected.length * 2, half.remaining());
      for (int i = 0; i <= 21; i++) {
        assertEquals(HalfFloat.floatToFp16(expected[i]), half.getShort(2 * i));
      }
    }
  }

  @Test
  void asksForTheShapeTheModelExpects() throws Exception {
    try (CheckpointWeights w =
        WeightLoader.open(TestCheckpoints.tinyDir(), config, WeightLoader.Strictness.STRICT)) {
      CheckpointException e =
          assertThrows(
              CheckpointException.class, () -> w.floats("model.norm.weight", new long[] {8, 8}));
      assertMessage(e, "'model.norm.weight' has shape [64]", "expects [8, 8]");
      assertThrows(
          CheckpointException.class, () -> w.floats("model.nothing.weight", new long[] {1}));
    }
  }

  @Test
  void acceptsTransformers5InMemoryNames() throws Exception {
    Map<String, float[]> renamed = new TreeMap<>();
    fixture.forEach(
        (n, v) ->
            renamed.put(
                n.startsWith("visual.")
                    ? "model." + n
                    : n.replaceFirst("^model\\.", "model.language_model."),
                v));
    assertTrue(renamed.containsKey("model.language_model.layers.0.mlp.up_proj.weight"));
    assertTrue(renamed.containsKey("model.visual.blocks.0.attn.qkv.weight"));
    Map<String, float[]> w = TestCheckpoints.load(checkpoint("v5names", renamed), config);
    assertEquals(fixture.keySet(), w.keySet());
    fixture.forEach((n, v) -> assertArrayEquals(v, w.get(n), n));
  }

  @Test
  void convertsBf16Checkpoints() throws Exception {
    Path dir = tmp.resolve("bf16");
    TestCheckpoints.copyConfig(TestCheckpoints.tinyDir(), dir);
    Map<String, long[]> shapes =
        TestCheckpoints.shapesOf(TestCheckpoints.tinyDir().resolve("model.safetensors"));
    SafetensorsWriter w = new SafetensorsWriter();
    for (Map.Entry<String, float[]> e : fixture.entrySet()) {
      ByteBuffer b = ByteBuffer.allocate(e.getValue().length * 2).order(ByteOrder.LITTLE_ENDIAN);
      for (float f : e.getValue()) {
        b.putShort((short) (Float.floatToRawIntBits(f) >>> 16)); // truncation: exact in bf16
      }
      w.addBytes(e.getKey(), DType.BF16, shapes.get(e.getKey()), b.flip());
    }
    w.write(dir.resolve("model.safetensors"));
    Map<String, float[]> loaded = TestCheckpoints.load(dir, config);
    for (Map.Entry<String, float[]> e : fixture.entrySet()) {
      float[] got = loaded.get(e.getKey());
      for (int i = 0; i < got.length; i++) {
        float truncated =
            Float.intBitsToFloat(Float.floatToRawIntBits(e.getValue()[i]) & 0xffff0000);
        assertEquals(truncated, got[i]);
      }
    }
  }

  @Test
  void listsEveryMissingAndUnexpectedTensorSorted() throws Exception {
    Map<String, float[]> broken = new TreeMap<>(fixture);
    broken.remove("visual.blocks.3.norm2.weight");
    broken.remove("model.layers.1.mlp.up_proj.weight");
    broken.put("model.rotary_emb.inv_freq", new float[8]);
    broken.put("extra.bias", new float[2]);
    Path dir = checkpoint("broken", broken);
    CheckpointException e =
        assertThrows(CheckpointException.class, () -> TestCheckpoints.load(dir, config));
    assertMessage(
        e,
        dir.toString(),
        "2 missing [model.layers.1.mlp.up_proj.weight, visual.blocks.3.norm2.weight]",
        "2 unexpected [extra.bias, model.rotary_emb.inv_freq]");

    Map<String, float[]> lenient =
        TestCheckpoints.load(dir, config, WeightLoader.Strictness.LENIENT);
    assertFalse(lenient.containsKey("visual.blocks.3.norm2.weight"));
    assertFalse(lenient.containsKey("extra.bias"));
    assertEquals(fixture.size() - 2, lenient.size());
  }

  @Test
  void reportsEveryWrongShape() throws Exception {
    Path dir = tmp.resolve("shapes");
    TestCheckpoints.copyConfig(TestCheckpoints.tinyDir(), dir);
    Map<String, long[]> shapes =
        TestCheckpoints.shapesOf(TestCheckpoints.tinyDir().resolve("model.safetensors"));
    shapes.put("model.norm.weight", new long[] {8, 8});
    shapes.put("visual.merger.mlp.0.weight", new long[] {128, 64, 2});
    SafetensorsWriter w = new SafetensorsWriter();
    fixture.forEach((n, v) -> w.addFloats(n, shapes.get(n), v));
    w.write(dir.resolve("model.safetensors"));
    CheckpointException e =
        assertThrows(CheckpointException.class, () -> TestCheckpoints.load(dir, config));
    assertMessage(
        e,
        "2 tensor(s) have the wrong shape",
        "model.norm.weight expected [64] but found [8, 8]",
        "visual.merger.mlp.0.weight expected [128, 128] but found [128, 64, 2]");
    // Shapes are checked even when lenient.
    assertThrows(
        CheckpointException.class,
        () -> TestCheckpoints.load(dir, config, WeightLoader.Strictness.LENIENT));
  }

  @Test
  void tiedCheckpointMayCarryAnLmHeadEqualToTheEmbeddings() throws Exception {
    Map<String, float[]> withHead = new TreeMap<>(fixture);
    withHead.put(CheckpointLayout.LM_HEAD, fixture.get(CheckpointLayout.EMBED_TOKENS));
    Map<String, float[]> w = TestCheckpoints.load(checkpoint("tied-equal", withHead), config);
    assertFalse(w.containsKey(CheckpointLayout.LM_HEAD));

    float[] different = fixture.get(CheckpointLayout.EMBED_TOKENS).clone();
    different[100] += 1e-3f;
    withHead.put(CheckpointLayout.LM_HEAD, different);
    Path dir = checkpoint("tied-different", withHead);
    CheckpointException e =
        assertThrows(CheckpointException.class, () -> TestCheckpoints.load(dir, config));
    assertMessage(e, "tie_word_embeddings is true", "'lm_head.weight' differs");
  }

  @Test
  void untiedConfigNeedsItsLmHead() throws Exception {
    Qwen25VLConfig untied =
        new Qwen25VLConfig(config.text(), config.vision(), config.tokens(), false);
    CheckpointException e =
        assertThrows(
            CheckpointException.class,
            () -> TestCheckpoints.load(TestCheckpoints.tinyDir(), untied));
    assertMessage(e, "1 missing [lm_head.weight]");

    Map<String, float[]> withHead = new TreeMap<>(fixture);
    float[] head = TestCheckpoints.weightsFor(untied).get(CheckpointLayout.LM_HEAD);
    withHead.put(CheckpointLayout.LM_HEAD, head);
    try (CheckpointWeights w =
        WeightLoader.open(checkpoint("untied", withHead), untied, WeightLoader.Strictness.STRICT)) {
      assertArrayEquals(new long[] {512, 64}, w.shape(CheckpointLayout.LM_HEAD));
      assertArrayEquals(head, w.floats(CheckpointLayout.LM_HEAD, new long[] {512, 64}));
    }
  }

  @Test
  void sameParameterUnderBothNamesIsAnError() throws Exception {
    Map<String, float[]> twice = new TreeMap<>(fixture);
    twice.put("model.language_model.norm.weight", fixture.get("model.norm.weight"));
    Path dir = checkpoint("twice", twice);
    CheckpointException e =
        assertThrows(CheckpointException.class, () -> TestCheckpoints.load(dir, config));
    assertMessage(e, "'model.language_model.norm.weight'", "'model.norm.weight'", "same parameter");
  }

  @Test
  void integerWeightsAreRejected() throws Exception {
    Path dir = tmp.resolve("ints");
    TestCheckpoints.copyConfig(TestCheckpoints.tinyDir(), dir);
    SafetensorsWriter w = new SafetensorsWriter();
    Map<String, long[]> shapes =
        TestCheckpoints.shapesOf(TestCheckpoints.tinyDir().resolve("model.safetensors"));
    fixture.forEach(
        (n, v) -> {
          if (n.equals("model.norm.weight")) {
            w.addLongs(n, shapes.get(n), new long[v.length]);
          } else {
            w.addFloats(n, shapes.get(n), v);
          }
        });
    w.write(dir.resolve("model.safetensors"));
    CheckpointException e =
        assertThrows(CheckpointException.class, () -> TestCheckpoints.load(dir, config));
    assertMessage(e, "'model.norm.weight' is I64");
  }

  @Test
  void refusesPickledCheckpoints() throws Exception {
    Path dir = tmp.resolve("pickled");
    TestCheckpoints.copyConfig(TestCheckpoints.tinyDir(), dir);
    Files.write(dir.resolve("pytorch_model.bin"), new byte[] {(byte) 0x80, 2, 0x7d});
    SafetensorsException e =
        assertThrows(SafetensorsException.class, () -> TestCheckpoints.load(dir, config));
    assertMessage(e, "pickled", "safe_serialization=True");
  }
}
