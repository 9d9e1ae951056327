package io.rge.core.qwen25vl;

import ai.djl.ndarray.NDArray;

/**
 * Changes what a linear projection of the model computes, e.g. a LoRA or DoRA adapter (installed
 * with {@link ModelWeights#adapt}).
 */
@FunctionalInterface
public interface ProjectionAdapter {
  /**
   * @param x the input {@code [..., in]}
   * @param base the frozen layer's output {@code x·Wᵀ + b}, {@code [..., out]}
   * @param weight the frozen weight {@code [out, in]}
   * @param bias the frozen bias {@code [out]}, or null
   * @return the adapted output {@code [..., out]}
   */
  NDArray apply(NDArray x, NDArray base, NDArray weight, NDArray bias);
}
