package io.rge.core.qwen25vl;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Weights whose vision side — every {@code visual.*} tensor, the patch merger included — comes from
 * another checkpoint, and everything else from a base source: a vision encoder trained elsewhere
 * joins a new language model, as a pretrained VLM brings its own ViT. The donor's language model
 * (its vocabulary, sizes and values) is not loaded, so it may differ from the receiving model's;
 * its vision tower must have the same architecture.
 */
public final class GraftedVision implements WeightSource, AutoCloseable {
  private final CheckpointWeights donor;
  private final WeightSource base;

  private GraftedVision(CheckpointWeights donor, WeightSource base) {
    this.donor = donor;
    this.base = base;
  }

  /**
   * Opens the donor checkpoint and checks that its vision tower fits {@code vision}.
   *
   * @param donorDir a Qwen2.5-VL folder or RGE checkpoint whose vision tower is taken
   * @param vision the receiving model's vision config
   * @param base the source of every other tensor (e.g. a seeded random initialisation)
   * @throws IllegalArgumentException naming the donor and both configs when the towers differ
   */
  public static GraftedVision open(Path donorDir, VisionConfig vision, WeightSource base)
      throws IOException {
    Qwen25VLConfig donorConfig = ModelConfigReader.readFolder(donorDir);
    if (!donorConfig.vision().equals(vision)) {
      throw new IllegalArgumentException(
          donorDir
              + ": its vision_config "
              + donorConfig.vision()
              + " differs from the model's "
              + vision
              + "; a vision tower can only be taken from a model of the same vision architecture");
    }
    return new GraftedVision(
        WeightLoader.open(donorDir, donorConfig, WeightLoader.Strictness.STRICT), base);
  }

  @Override
  public float[] floats(String name, long[] shape) {
    return name.startsWith(CheckpointLayout.VISION_PREFIX)
        ? donor.floats(name, shape)
        : base.floats(name, shape);
  }

  @Override
  public void close() throws IOException {
    donor.close();
  }
}
