package io.rge.core.qwen25vl;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rge.core.files.AtomicFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

/**
 * Writes a {@link Qwen25VLConfig} as {@code config.json} in the flat layout of the published
 * Qwen2.5-VL checkpoints, which both {@link ModelConfigReader} and transformers' {@code
 * Qwen2_5_VLForConditionalGeneration.from_pretrained} (4.x and 5.x) read. The vision config carries
 * both {@code in_chans} and {@code in_channels} (and {@code patch_size} and {@code
 * spatial_patch_size}) because different transformers versions read different names.
 */
public final class ModelConfigWriter {
  private static final ObjectMapper JSON = new ObjectMapper();

  private ModelConfigWriter() {}

  /** Writes {@code config} to {@code configJson} (float32 weights), atomically. */
  public static void write(Qwen25VLConfig config, Path configJson) throws IOException {
    write(config, configJson, "float32");
  }

  /** Writes {@code config}, declaring the weights' {@code torch_dtype}, atomically. */
  static void write(Qwen25VLConfig config, Path configJson, String torchDtype) throws IOException {
    byte[] json =
        (JSON.writerWithDefaultPrettyPrinter().writeValueAsString(toJson(config, torchDtype))
                + "\n")
            .getBytes(StandardCharsets.UTF_8);
    AtomicFiles.write(configJson, json);
  }

  static ObjectNode toJson(Qwen25VLConfig config, String torchDtype) {
    TextConfig t = config.text();
    VisionConfig v = config.vision();
    SpecialTokenIds ids = config.tokens();
    ObjectNode root = JSON.createObjectNode();
    root.putArray("architectures").add("Qwen2_5_VLForConditionalGeneration");
    root.put("model_type", ModelConfigReader.MODEL_TYPE);
    root.put("torch_dtype", torchDtype);
    root.put("vocab_size", t.vocabSize());
    root.put("hidden_size", t.hiddenSize());
    root.put("intermediate_size", t.intermediateSize());
    root.put("num_hidden_layers", t.numHiddenLayers());
    root.put("num_attention_heads", t.numAttentionHeads());
    root.put("num_key_value_heads", t.numKeyValueHeads());
    root.put("hidden_act", t.hiddenAct());
    root.put("rms_norm_eps", t.rmsNormEps());
    root.put("max_position_embeddings", t.maxPositionEmbeddings());
    root.put("rope_theta", t.ropeTheta());
    ObjectNode rope = root.putObject("rope_scaling");
    rope.put("type", "mrope");
    ints(rope.putArray("mrope_section"), t.mropeSection());
    root.put("use_sliding_window", false);
    root.put("tie_word_embeddings", config.tieWordEmbeddings());
    root.put("bos_token_id", ids.bos());
    root.put("eos_token_id", ids.eos());
    root.put("vision_start_token_id", ids.visionStart());
    root.put("vision_end_token_id", ids.visionEnd());
    root.put("vision_token_id", ids.visionPad());
    root.put("image_token_id", ids.imagePad());
    root.put("video_token_id", ids.videoPad());
    ObjectNode vision = root.putObject("vision_config");
    vision.put("depth", v.depth());
    vision.put("hidden_act", v.hiddenAct());
    vision.put("hidden_size", v.hiddenSize());
    vision.put("intermediate_size", v.intermediateSize());
    vision.put("num_heads", v.numHeads());
    vision.put("in_chans", v.inChannels());
    vision.put("in_channels", v.inChannels());
    vision.put("out_hidden_size", v.outHiddenSize());
    vision.put("patch_size", v.patchSize());
    vision.put("spatial_patch_size", v.patchSize());
    vision.put("spatial_merge_size", v.spatialMergeSize());
    vision.put("temporal_patch_size", v.temporalPatchSize());
    vision.put("window_size", v.windowSize());
    ints(vision.putArray("fullatt_block_indexes"), v.fullattBlockIndexes());
    vision.put("tokens_per_second", v.tokensPerSecond());
    // transformers 5 reads the vision rotary base from here; 4.x ignores it (fixed at 10000).
    ObjectNode visionRope = vision.putObject("rope_parameters");
    visionRope.put("rope_type", "axial");
    visionRope.put("rope_theta", v.ropeTheta());
    return root;
  }

  private static void ints(ArrayNode array, List<Integer> values) {
    values.forEach(array::add);
  }
}
