package io.rge.core.qwen25vl;

import ai.djl.ndarray.NDArray;

/** Root-mean-square layer norm over the last axis: {@code w · x / sqrt(mean(x²) + eps)}. */
final class RmsNorm {
  private static final int[] LAST_AXIS = {-1};
  private final NDArray weight;
  private final NDArray eps;
  private final NDArray minusHalf;

  RmsNorm(NDArray weight, double eps) {
    this.weight = weight;
    this.eps = Scalars.constant(weight.getManager(), (float) eps);
    this.minusHalf = Scalars.constant(weight.getManager(), -0.5f);
  }

  /** {@code [..., d] → [..., d]}. */
  NDArray forward(NDArray x) {
    NDArray inverseRms = x.square().mean(LAST_AXIS, true).add(eps).pow(minusHalf);
    return x.mul(inverseRms).mul(weight);
  }
}
