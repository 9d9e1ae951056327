package io.rge.core.qwen25vl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rge.core.CheckpointFolderWriter;
import io.rge.core.DeviceChoice;
import io.rge.core.LoadOptions;
import io.rge.core.RgeModel;
import io.rge.core.preset.TinyOptions;
import io.rge.core.preset.TinyPreset;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A tiny preset whose vision tower comes from another checkpoint, checked tensor by tensor. */
class GraftedVisionTest {
  private static final long DONOR_SEED = 1;
  private static final long MODEL_SEED = 2;

  /** Saves a random tiny model (its weights drawn from {@code seed}) and returns its folder. */
  private static Path donor(Path dir, List<String> texts, TinyOptions options) throws Exception {
    try (RgeModel model =
        RgeModel.load(
            LoadOptions.builder()
                .setPreset(TinyPreset.create(texts, options), DONOR_SEED)
                .optDevice(DeviceChoice.CPU)
                .build())) {
      CheckpointFolderWriter.of(model).write(dir);
    }
    return dir;
  }

  @Test
  void visionTensorsComeFromTheDonorAndTheRestFromTheSeed(@TempDir Path tmp) throws Exception {
    // The donor's vocabulary differs, so its language model could not be loaded here at all.
    Path donor =
        donor(
            tmp.resolve("donor"),
            List.of("i see a red circle", "spin of red is blue"),
            TinyOptions.defaults());
    TinyPreset preset = TinyPreset.create(List.of("find an image of a green cross"));
    Path saved = tmp.resolve("grafted");
    try (RgeModel model =
        RgeModel.load(
            LoadOptions.builder()
                .setPreset(preset, MODEL_SEED)
                .optVisionFrom(donor)
                .optDevice(DeviceChoice.CPU)
                .build())) {
      CheckpointFolderWriter.of(model).write(saved);
    }
    Map<String, float[]> tensors = TestCheckpoints.floatsOf(saved.resolve("model.safetensors"));
    Map<String, long[]> shapes = TestCheckpoints.shapesOf(saved.resolve("model.safetensors"));
    RandomWeights donorValues = new RandomWeights(DONOR_SEED, 0.02);
    RandomWeights ownValues = new RandomWeights(MODEL_SEED, 0.02);
    int vision = 0;
    for (Map.Entry<String, float[]> e : tensors.entrySet()) {
      String name = e.getKey();
      boolean fromDonor = name.startsWith("visual.");
      vision += fromDonor ? 1 : 0;
      float[] expected = (fromDonor ? donorValues : ownValues).floats(name, shapes.get(name));
      assertArrayEquals(expected, e.getValue(), name);
    }
    assertEquals(
        preset.vocabSize(), shapes.get(CheckpointLayout.EMBED_TOKENS)[0], "the model's vocabulary");
    // Patch embedding; 2 blocks of 12 (2 norms, qkv and proj with biases, a gated MLP's 3 linear
    // layers with biases); the merger's norm and two linear layers with biases.
    assertEquals(1 + 2 * 12 + 5, vision);
  }

  @Test
  void aDonorOfAnotherVisionArchitectureIsRefusedNamingIt(@TempDir Path tmp) throws Exception {
    TinyOptions wider = TinyOptions.builder().vision(2, 64, 128, 2, List.of(1)).build();
    Path donor = donor(tmp.resolve("wide"), List.of("red circle"), wider);
    TinyPreset preset = TinyPreset.create(List.of("red circle"));
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                GraftedVision.open(
                    donor, preset.config().vision(), new RandomWeights(MODEL_SEED, 0.02)));
    assertTrue(e.getMessage().startsWith(donor + ": its vision_config "), e.getMessage());
    assertTrue(e.getMessage().contains("same vision architecture"), e.getMessage());
  }
}
