package io.rge.core.qwen25vl;

import java.util.List;

/**
 * The vision tower's hyper-parameters (Hugging Face {@code Qwen2_5_VLVisionConfig}).
 *
 * <p>{@code windowSize} is in pixels: windows cover {@code windowSize / (patchSize *
 * spatialMergeSize)} merged units per side. Blocks listed in {@code fullattBlockIndexes} attend
 * over the whole image instead of a window.
 */
public record VisionConfig(
    int depth,
    int hiddenSize,
    int intermediateSize,
    int numHeads,
    int inChannels,
    int outHiddenSize,
    int patchSize,
    int spatialMergeSize,
    int temporalPatchSize,
    int windowSize,
    List<Integer> fullattBlockIndexes,
    int tokensPerSecond,
    String hiddenAct,
    double ropeTheta) {

  public VisionConfig {
    fullattBlockIndexes = List.copyOf(fullattBlockIndexes);
    ConfigChecks.positive("vision_config.depth", depth);
    ConfigChecks.positive("vision_config.hidden_size", hiddenSize);
    ConfigChecks.positive("vision_config.intermediate_size", intermediateSize);
    ConfigChecks.positive("vision_config.num_heads", numHeads);
    ConfigChecks.positive("vision_config.in_channels", inChannels);
    ConfigChecks.positive("vision_config.out_hidden_size", outHiddenSize);
    ConfigChecks.positive("vision_config.patch_size", patchSize);
    ConfigChecks.positive("vision_config.spatial_merge_size", spatialMergeSize);
    ConfigChecks.positive("vision_config.temporal_patch_size", temporalPatchSize);
    ConfigChecks.positive("vision_config.window_size", windowSize);
    if (hiddenSize % numHeads != 0) {
      throw new IllegalArgumentException(
          "vision_config.hidden_size "
              + hiddenSize
              + " is not divisible by vision_config.num_heads "
              + numHeads);
    }
    if ((hiddenSize / numHeads) % 4 != 0) {
      throw new IllegalArgumentException(
          "vision head dim "
              + hiddenSize / numHeads
              + " must be divisible by 4 (2-D rotary over rows and columns)");
    }
    int unit = patchSize * spatialMergeSize;
    if (windowSize % unit != 0) {
      throw new IllegalArgumentException(
          "vision_config.window_size "
              + windowSize
              + " must be a multiple of patch_size * spatial_merge_size = "
              + unit);
    }
    for (int i : fullattBlockIndexes) {
      if (i < 0 || i >= depth) {
        throw new IllegalArgumentException(
            "vision_config.fullatt_block_indexes entry " + i + " is outside [0, " + depth + ")");
      }
    }
    ConfigChecks.silu("vision_config.hidden_act", hiddenAct);
    if (!(ropeTheta > 0)) {
      throw new IllegalArgumentException("vision rope theta must be > 0, got " + ropeTheta);
    }
  }

  public int headDim() {
    return hiddenSize / numHeads;
  }

  /** Length of one flattened patch: channels × temporal patch × patch × patch (1176 for Qwen). */
  public int patchVectorSize() {
    return inChannels * temporalPatchSize * patchSize * patchSize;
  }

  /** Window side length in merged units. */
  public int windowUnits() {
    return windowSize / (patchSize * spatialMergeSize);
  }

  public int mergeUnit() {
    return spatialMergeSize * spatialMergeSize;
  }
}
