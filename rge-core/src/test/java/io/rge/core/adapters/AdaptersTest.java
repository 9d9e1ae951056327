package io.rge.core.adapters;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.rge.core.CheckpointFolderWriter;
import io.rge.core.DeviceChoice;
import io.rge.core.LoadOptions;
import io.rge.core.RgeModel;
import io.rge.core.image.ProcessedImage;
import io.rge.core.qwen25vl.ModelInput;
import io.rge.core.qwen25vl.ModelWeight;
import io.rge.core.qwen25vl.OutputRequest;
import io.rge.core.safetensors.SafetensorsFile;
import io.rge.testfixtures.TestFixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * LoRA / DoRA on qwen25vl-tiny: fresh adapters change nothing; a merged checkpoint computes what
 * the adapters compute; PEFT's layout round-trips, under the key names PEFT's documentation gives.
 */
class AdaptersTest {
  @TempDir Path tmp;

  static Path tinyDir() throws Exception {
    return TestFixtures.tinyModel();
  }

  private static AdapterSettings settings(AdapterSettings.Type type) {
    return new AdapterSettings(type, 4, 8, 0.1, AdapterSettings.RGE_TARGETS, false);
  }

  @ParameterizedTest
  @EnumSource(AdapterSettings.Type.class)
  void freshAdaptersReproduceTheBaseModel(AdapterSettings.Type type) throws Exception {
    try (RgeModel model = RgeModel.load(tinyDir(), DeviceChoice.CPU)) {
      float[] before = logits(model);
      Adapters adapters = model.attachAdapters(settings(type), 7);
      assertArrayEquals(before, logits(model), 1e-6f);
      assertTrue(model.network().weights().trainable().isEmpty(), "the base is frozen");
      // 3 layers × 7 modules × (A, B[, m]) + the <emb> row.
      assertEquals(
          3 * 7 * (type == AdapterSettings.Type.DORA ? 3 : 2) + 1, adapters.weights().size());
    }
  }

  @ParameterizedTest
  @EnumSource(AdapterSettings.Type.class)
  void mergedCheckpointComputesWhatTheAdaptersCompute(AdapterSettings.Type type) throws Exception {
    float[] adapted;
    Path merged = tmp.resolve("merged");
    try (RgeModel model = RgeModel.load(tinyDir(), DeviceChoice.CPU)) {
      float[] base = logits(model);
      perturb(model.attachAdapters(settings(type), 7));
      adapted = logits(model);
      assertFalse(maxDifference(base, adapted) < 1e-3, "the perturbed adapters change the output");
      CheckpointFolderWriter.of(model).optMergeAdapters().write(merged);
    }
    assertFalse(Files.exists(merged.resolve(Adapters.CONFIG_FILE)), "a plain checkpoint");
    try (RgeModel model = RgeModel.load(merged, DeviceChoice.CPU)) {
      float[] mergedLogits = logits(model);
      double scale = maxAbs(adapted);
      assertTrue(
          maxDifference(adapted, mergedLogits) <= 1e-5 * Math.max(1, scale),
          "merged vs adapters: " + maxDifference(adapted, mergedLogits));
    }
  }

  @ParameterizedTest
  @EnumSource(AdapterSettings.Type.class)
  void peftLayoutRoundTrips(AdapterSettings.Type type) throws Exception {
    Path dir = tmp.resolve("adapter");
    float[] adapted;
    List<ModelWeight> written;
    int embId;
    try (RgeModel model = RgeModel.load(tinyDir(), DeviceChoice.CPU)) {
      Adapters adapters = model.attachAdapters(settings(type), 7);
      perturb(adapters);
      adapted = logits(model);
      adapters.save(dir);
      written = adapters.weights();
      embId = model.tokenizer().embId();
      try (SafetensorsFile file = SafetensorsFile.open(dir.resolve(Adapters.WEIGHTS_FILE))) {
        // Names as PEFT writes them for Qwen2.5-VL (lora_A/lora_B ".weight", the DoRA magnitude
        // without it, TrainableTokens' delta under the input embedding).
        String layer = "base_model.model.model.language_model.layers.0.";
        assertTrue(file.contains(layer + "self_attn.q_proj.lora_A.weight"));
        assertTrue(file.contains(layer + "self_attn.q_proj.lora_B.weight"));
        assertTrue(file.contains(layer + "mlp.down_proj.lora_B.weight"));
        assertEquals(
            type == AdapterSettings.Type.DORA,
            file.contains(layer + "self_attn.v_proj.lora_magnitude_vector"));
        assertTrue(
            file.contains(
                "base_model.model.model.language_model.embed_tokens.token_adapter"
                    + ".trainable_tokens_delta"));
        assertArrayEquals(
            new long[] {4, 64}, file.info(layer + "mlp.up_proj.lora_A.weight").shape());
        assertArrayEquals(
            new long[] {128, 4}, file.info(layer + "mlp.up_proj.lora_B.weight").shape());
        assertEquals(written.size(), file.names().size());
        for (ModelWeight w : written) {
          assertArrayEquals(w.value().toFloatArray(), file.readFloats(w.name()), w.name());
        }
      }
    }
    JsonNode config = new ObjectMapper().readTree(dir.resolve(Adapters.CONFIG_FILE).toFile());
    assertEquals("LORA", config.get("peft_type").asText());
    assertEquals(4, config.get("r").asInt());
    assertEquals(8.0, config.get("lora_alpha").asDouble());
    assertEquals(0.1, config.get("lora_dropout").asDouble());
    assertEquals(type == AdapterSettings.Type.DORA, config.get("use_dora").asBoolean());
    assertEquals(embId, config.at("/trainable_token_indices/embed_tokens/0").asInt());
    String pattern = config.get("target_modules").asText();
    assertTrue("model.language_model.layers.2.mlp.gate_proj".matches(pattern));
    assertFalse("model.visual.blocks.0.mlp.gate_proj".matches(pattern), "vision: false");
    assertFalse("model.language_model.layers.2.mlp".matches(pattern));

    try (RgeModel model =
        RgeModel.load(
            LoadOptions.builder()
                .setModel(tinyDir())
                .optAdapters(dir)
                .optDevice(DeviceChoice.CPU)
                .build())) {
      List<ModelWeight> read = model.adapters().orElseThrow().weights();
      assertEquals(
          written.stream().map(ModelWeight::name).toList(),
          read.stream().map(ModelWeight::name).toList());
      assertEquals(type, model.adapters().orElseThrow().settings().type());
      assertArrayEquals(adapted, logits(model), 0f, "the same tensors, the same function");
    }
  }

  @ParameterizedTest
  @EnumSource(AdapterSettings.Type.class)
  void anAdapterForAnotherModelIsRefused(AdapterSettings.Type type) throws Exception {
    Path dir = tmp.resolve("adapter");
    try (RgeModel model = RgeModel.load(tinyDir(), DeviceChoice.CPU)) {
      model.attachAdapters(settings(type), 7).save(dir);
    }
    String config = Files.readString(dir.resolve(Adapters.CONFIG_FILE));
    Files.writeString(dir.resolve(Adapters.CONFIG_FILE), config.replace("\"r\" : 4", "\"r\" : 8"));
    Exception e =
        assertThrows(
            Exception.class,
            () ->
                RgeModel.load(
                    LoadOptions.builder()
                        .setModel(tinyDir())
                        .optAdapters(dir)
                        .optDevice(DeviceChoice.CPU)
                        .build()));
    assertTrue(
        e.getMessage().contains("lora_A.weight has shape [4, 64], expected [8, 64]"),
        e.getMessage());
  }

  /** Non-zero B, magnitudes off ‖W‖ and a moved {@code <emb>} row, from a fixed seed. */
  private static void perturb(Adapters adapters) {
    Random random = new Random(11);
    for (ModelWeight w : adapters.weights()) {
      float[] values = w.value().toFloatArray();
      for (int i = 0; i < values.length; i++) {
        values[i] += (float) (0.05 * random.nextGaussian());
      }
      w.value().set(values);
    }
  }

  /** Logits {@code [L, vocab]} of one image + text sequence ending in {@code <emb>}. */
  private static float[] logits(RgeModel model) throws Exception {
    ProcessedImage image =
        model.imageProcessor().process(ImageIO.read(tinyDir().resolve("image0.png").toFile()));
    int[] ids = model.prompts().candidate("<|image_1|>a red square", image.grid()).ids();
    try (NDManager scope = model.manager().newSubManager()) {
      NDArray logits =
          model
              .network()
              .forward(scope, ModelInput.single(ids, List.of(image)), OutputRequest.everything())
              .logits();
      return logits.toFloatArray();
    }
  }

  private static double maxDifference(float[] a, float[] b) {
    double max = 0;
    for (int i = 0; i < a.length; i++) {
      max = Math.max(max, Math.abs(a[i] - b[i]));
    }
    return max;
  }

  private static double maxAbs(float[] a) {
    double max = 0;
    for (float v : a) {
      max = Math.max(max, Math.abs(v));
    }
    return max;
  }
}
