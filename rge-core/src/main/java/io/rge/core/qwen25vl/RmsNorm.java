package io.rge.core.qwen25vl;

import ai.djl.ndarray.NDArray;

/** Root-mean-square layer norm over the last axis: {@code w · x / sqrt(mean(x²) + eps)}. */
final class RmsNorm {
  private static final int[] LAST_AXIS = {-1};
  private final NDArray weight;
  private final float eps;

  RmsNorm(NDArray weight, double eps) {
    this.weight = weight;
    this.eps = (float) eps;
  }

  /** {@code [..., d] → [..., d]}. */
  NDArray forward(NDArray x) {
    NDArray inverseRms = OwnedScalar.pow(x.square().mean(LAST_AXIS, true).add(eps), -0.5f);
    return x.mul(inverseRms).mul(weight);
  }
}
