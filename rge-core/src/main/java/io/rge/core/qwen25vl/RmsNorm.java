package io.rge.core.qwen25vl;

import ai.djl.ndarray.NDArray;

/**
 * Root-mean-square layer norm over the last axis: {@code w · x / sqrt(mean(x²) + eps)}. Half
 * precision inputs are normalised in fp32 and cast back before the weight, as transformers'
 * Qwen2RMSNorm does.
 */
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

  /** {@code [..., d] → [..., d]}, in the type of {@code x}. */
  NDArray forward(NDArray x) {
    return Upcast.to(normalised(x), x.getDataType()).mul(weight);
  }

  /** {@code [..., d] → [..., d]} in fp32 whatever the type of {@code x} (the final norm). */
  NDArray forwardFp32(NDArray x) {
    return normalised(x).mul(Upcast.toFp32(weight));
  }

  /** {@code x / sqrt(mean(x²) + eps)} in fp32. */
  private NDArray normalised(NDArray x) {
    NDArray x32 = Upcast.toFp32(x);
    NDArray inverseRms = x32.square().mean(LAST_AXIS, true).add(eps).pow(minusHalf);
    return x32.mul(inverseRms);
  }
}
