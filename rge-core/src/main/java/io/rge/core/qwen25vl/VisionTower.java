package io.rge.core.qwen25vl;

import static io.rge.core.qwen25vl.CheckpointLayout.bias;
import static io.rge.core.qwen25vl.CheckpointLayout.weight;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.jni.JniUtils;
import io.rge.core.image.ImageGrid;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * The Qwen2.5-VL vision encoder: patch embedding, window/full attention blocks with 2-D rotary
 * embedding, and the patch merger. Several images in one call are independent: attention never
 * crosses an image frame.
 *
 * <p>Shapes: N patches (all images), P = C·T·patch² (1176), D vision width, T = N / merge² tokens.
 */
public final class VisionTower {
  private final VisionConfig config;
  private final Projection patchEmbed;
  private final List<VisionBlock> blocks;
  private final PatchMerger merger;
  private final NDArray rotateHalf;
  private final float[] inverseFrequencies;
  private final DataType storage;
  private final LayerSeeds seeds;

  VisionTower(
      VisionConfig config,
      Projection patchEmbed,
      List<VisionBlock> blocks,
      PatchMerger merger,
      NDArray rotateHalf,
      DataType storage,
      LayerSeeds seeds) {
    this.config = config;
    this.seeds = seeds;
    this.storage = storage;
    this.patchEmbed = patchEmbed;
    this.blocks = List.copyOf(blocks);
    this.merger = merger;
    this.rotateHalf = rotateHalf;
    // Each of the row and column halves rotates head_dim / 4 frequency pairs.
    this.inverseFrequencies = Rotary.inverseFrequencies(config.ropeTheta(), config.headDim() / 2);
  }

  static VisionTower build(
      ModelWeights weights, VisionConfig c, NDManager manager, LayerSeeds seeds) {
    Projection patchEmbed =
        weights.projection(weights.loadAsMatrix(CheckpointLayout.PATCH_EMBED), null);
    List<VisionBlock> blocks = new java.util.ArrayList<>();
    for (int i = 0; i < c.depth(); i++) {
      CheckpointLayout.VisionBlockNames n = CheckpointLayout.VisionBlockNames.of(i);
      RmsNorm norm1 = new RmsNorm(weights.load(n.norm1(), false), 1e-6);
      RmsNorm norm2 = new RmsNorm(weights.load(n.norm2(), false), 1e-6);
      VisionAttention attn =
          new VisionAttention(
              linear(weights, n.qkv()), linear(weights, n.proj()), c.numHeads(), c.headDim());
      SwiGluMlp mlp =
          new SwiGluMlp(
              weights.projection(
                  weights.fuseRows(weight(n.gateUp()), true, weight(n.gate()), weight(n.up())),
                  weights.fuseRows(bias(n.gateUp()), false, bias(n.gate()), bias(n.up()))),
              linear(weights, n.down()));
      blocks.add(new VisionBlock(norm1, attn, norm2, mlp, c.fullattBlockIndexes().contains(i)));
    }
    PatchMerger merger =
        new PatchMerger(
            new RmsNorm(weights.load(CheckpointLayout.MERGER_NORM, false), 1e-6),
            linear(weights, CheckpointLayout.MERGER_FC1),
            linear(weights, CheckpointLayout.MERGER_FC2),
            c.hiddenSize() * c.mergeUnit());
    return new VisionTower(
        c,
        patchEmbed,
        blocks,
        merger,
        Rotary.rotateHalfMatrix(manager, c.headDim()),
        weights.storage(),
        seeds);
  }

  /** A linear layer with bias: weight decayed, bias not. */
  private static Projection linear(ModelWeights weights, String module) {
    return weights.projection(
        weights.load(weight(module), true), weights.load(bias(module), false));
  }

  /**
   * Encodes the images of a batch.
   *
   * @param pixelValues {@code [N, P]}, the images' processed pixels concatenated in order
   * @param grids each image's patch grid, in the same order
   * @param trace when true, the result also carries the patch embeddings and the merger output in
   *     window order (for parity checks against transformers' intermediate tensors)
   * @return image tokens {@code [T, outHidden]} in the order they replace {@code <|image_pad|>}
   */
  public VisionOutput forward(
      NDManager scope, NDArray pixelValues, List<ImageGrid> grids, boolean trace) {
    return forward(scope, pixelValues, grids, trace, null);
  }

  /**
   * {@link #forward(NDManager, NDArray, List, boolean)}; with a {@code tape}, while autograd
   * records, the blocks run as one recomputed chain.
   */
  VisionOutput forward(
      NDManager scope,
      NDArray pixelValues,
      List<ImageGrid> grids,
      boolean trace,
      RecomputationTape tape) {
    VisionLayout layout = VisionLayout.of(grids, config);
    int n = layout.patches();
    if (pixelValues.getShape().get(0) != n) {
      throw new IllegalArgumentException(
          "pixel values have "
              + pixelValues.getShape().get(0)
              + " patches but the grids "
              + grids
              + " need "
              + n);
    }
    int unit = config.mergeUnit();
    long[] order = layout.patchWindowOrder(unit);
    // [N, D], input order, in the weights' type
    NDArray embedded = patchEmbed.apply(Upcast.to(pixelValues, storage));
    NDArray x = embedded.get(scope.create(order)); // window order
    Rotary rotary = rotaryTables(scope, layout, order);
    VisionLayout.Segments windows = layout.windowAttention(scope);
    VisionLayout.Segments images = layout.imageAttention(scope);
    List<UnaryOperator<NDArray>> chain = new java.util.ArrayList<>();
    for (VisionBlock block : blocks) {
      chain.add(in -> block.forward(in, rotary, windows, images));
    }
    x = seeds.run(scope, x, chain, JniUtils.isGradMode() ? tape : null);
    NDArray merged = merger.forward(x); // [T, out], window order
    long[] inverse = java.util.Arrays.stream(layout.inverseWindowOrder()).asLongStream().toArray();
    NDArray tokens = merged.get(scope.create(inverse));
    return new VisionOutput(tokens, trace ? embedded : null, trace ? merged : null);
  }

  /** The rotation of every patch, cos and sin {@code [N, 1, 1, headDim]} in window order. */
  private Rotary rotaryTables(NDManager scope, VisionLayout layout, long[] order) {
    int hd = config.headDim();
    int quarter = inverseFrequencies.length;
    int[] rows = layout.rowPositions();
    int[] cols = layout.columnPositions();
    float[] cos = new float[order.length * hd];
    float[] sin = new float[order.length * hd];
    for (int slot = 0; slot < order.length; slot++) {
      int patch = (int) order[slot];
      int base = slot * hd;
      for (int i = 0; i < quarter; i++) {
        float rowAngle = (float) rows[patch] * inverseFrequencies[i];
        float colAngle = (float) cols[patch] * inverseFrequencies[i];
        // emb = cat(freqs, freqs) with freqs = cat(row angles, column angles)
        for (int half = 0; half < 2; half++) {
          int o = base + half * 2 * quarter;
          cos[o + i] = (float) Math.cos(rowAngle);
          sin[o + i] = (float) Math.sin(rowAngle);
          cos[o + quarter + i] = (float) Math.cos(colAngle);
          sin[o + quarter + i] = (float) Math.sin(colAngle);
        }
      }
    }
    Shape shape = new Shape(order.length, 1, 1, hd);
    return new Rotary(scope.create(cos, shape), scope.create(sin, shape), rotateHalf);
  }

  public VisionConfig config() {
    return config;
  }

  /**
   * @param tokens {@code [T, outHidden]} image tokens in prompt order
   * @param patchEmbeddings {@code [N, D]} patch embeddings in input order, only when traced
   * @param mergerWindowOrder {@code [T, outHidden]} merger output before the window order is
   *     undone, only when traced
   */
  public record VisionOutput(NDArray tokens, NDArray patchEmbeddings, NDArray mergerWindowOrder) {}
}
