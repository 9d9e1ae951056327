package io.rge.core.qwen25vl;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.core.Linear;

/**
 * {@code y = x·Wᵀ + b}: a linear layer's weight {@code [out, in]} and optional bias {@code [out]},
 * plus an optional {@link ProjectionAdapter} (LoRA, DoRA) that changes the output.
 */
final class Projection {
  private final NDArray weight;
  private final NDArray bias;
  private ProjectionAdapter adapter;

  Projection(NDArray weight, NDArray bias) {
    this.weight = weight;
    this.bias = bias;
  }

  /** The manager that owns the weights (for constants that must live as long). */
  ai.djl.ndarray.NDManager weightManager() {
    return weight.getManager();
  }

  /** Routes every later {@link #apply} through {@code adapter} (null: the plain layer again). */
  void adapt(ProjectionAdapter adapter) {
    this.adapter = adapter;
  }

  /** {@code [..., in] → [..., out]}. */
  NDArray apply(NDArray x) {
    NDArray y = Linear.linear(x, weight, bias).singletonOrThrow();
    return adapter == null ? y : adapter.apply(x, y, weight, bias);
  }
}
