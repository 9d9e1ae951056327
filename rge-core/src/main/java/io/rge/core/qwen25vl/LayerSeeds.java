package io.rge.core.qwen25vl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.jni.JniUtils;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * Runs a chain of layers (the decoder's, the vision tower's blocks) with torch's generator seeded
 * afresh before each layer, so that a layer that {@link RecomputationTape} replays in the backward
 * pass draws the dropout masks (the adapters' dropout) its forward pass drew, as {@code
 * torch.utils.checkpoint} does by saving and restoring the generator state; DJL can do neither.
 *
 * <p>Each chain draws one seed from the generator (so that callers that seed it, as GradCache does
 * for its two passes over a chunk, get the same masks), seeds layer {@code i} with a mix of that
 * seed and {@code i}, and leaves the generator seeded with the chain's exit seed. The plain and the
 * recomputed pass run the same code, so they draw the same masks; after its replays the tape seeds
 * the generator with the last chain's exit seed ({@link #restore()}), where the plain pass left it,
 * so the passes after a backward draw the same masks too.
 */
final class LayerSeeds {
  private long exit;
  private boolean ran;

  /**
   * {@code layers} applied in order to {@code x}, through {@code tape} when it is non-null (a
   * recomputed chain), each layer seeded as the class describes.
   */
  NDArray run(
      NDManager scope, NDArray x, List<UnaryOperator<NDArray>> layers, RecomputationTape tape) {
    long pass;
    try (NDArray drawn =
        scope.randomInteger(0, Long.MAX_VALUE, new Shape(), DataType.INT64)) { // []
      pass = drawn.getLong();
    }
    List<UnaryOperator<NDArray>> seeded = new ArrayList<>(layers.size());
    for (int i = 0; i < layers.size(); i++) {
      long seed = mix(pass, i);
      UnaryOperator<NDArray> layer = layers.get(i);
      seeded.add(
          in -> {
            JniUtils.setSeed(seed);
            return layer.apply(in);
          });
    }
    NDArray out;
    if (tape != null) {
      out = tape.run(x, seeded);
    } else {
      out = x;
      for (UnaryOperator<NDArray> layer : seeded) {
        out = layer.apply(out);
      }
    }
    exit = mix(pass, layers.size());
    ran = true;
    JniUtils.setSeed(exit);
    return out;
  }

  /** Seeds the generator as the last chain left it (after a backward pass replayed layers). */
  void restore() {
    if (ran) {
      JniUtils.setSeed(exit);
    }
  }

  /** SplitMix64's finalizer of {@code pass + (i + 1) · golden}: distinct, unrelated seeds. */
  private static long mix(long pass, int i) {
    long z = pass + (i + 1) * 0x9E3779B97F4A7C15L;
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return (z ^ (z >>> 31)) & Long.MAX_VALUE;
  }
}
