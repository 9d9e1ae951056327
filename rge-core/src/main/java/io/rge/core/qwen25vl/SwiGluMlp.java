package io.rge.core.qwen25vl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;

/**
 * Qwen's gated MLP, {@code down(silu(gate(x)) · up(x))}, with gate and up fused into one projection
 * {@code [2·intermediate, hidden]} so one matrix product serves both.
 */
final class SwiGluMlp {
  private final Projection gateUp;
  private final Projection down;

  SwiGluMlp(Projection gateUp, Projection down) {
    this.gateUp = gateUp;
    this.down = down;
  }

  /** {@code [..., hidden] → [..., hidden]}. */
  NDArray forward(NDArray x) {
    NDArray projected = gateUp.apply(x);
    NDList gu = projected.split(2, projected.getShape().dimension() - 1);
    NDArray gate = gu.get(0);
    NDArray activated = gate.mul(gate.getNDArrayInternal().sigmoid());
    return down.apply(activated.mul(gu.get(1)));
  }
}
