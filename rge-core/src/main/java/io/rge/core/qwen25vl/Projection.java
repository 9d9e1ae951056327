package io.rge.core.qwen25vl;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.core.Linear;

/**
 * {@code y = x·Wᵀ + b}: a linear layer's weight {@code [out, in]} and optional bias {@code [out]}.
 */
final class Projection {
  private final NDArray weight;
  private final NDArray bias;

  Projection(NDArray weight, NDArray bias) {
    this.weight = weight;
    this.bias = bias;
  }

  /** The manager that owns the weights (for constants that must live as long). */
  ai.djl.ndarray.NDManager weightManager() {
    return weight.getManager();
  }

  /** {@code [..., in] → [..., out]}. */
  NDArray apply(NDArray x) {
    return Linear.linear(x, weight, bias).singletonOrThrow();
  }
}
