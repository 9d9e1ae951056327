package io.rge.core.qwen25vl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/**
 * Scalar constants for differentiable arithmetic.
 *
 * <p>DJL's {@code x.mul(2f)} (and {@code div}, {@code pow}, … with a number) wraps the number in a
 * temporary tensor over a Java direct buffer and closes it right after the operation. Autograd
 * keeps that tensor for the backward pass, but its memory now belongs to nobody: once the garbage
 * collector frees the buffer, backward reads garbage, and gradients turn non-finite at random. A
 * constant made here lives in memory PyTorch owns, as long as its manager.
 */
public final class Scalars {
  private Scalars() {}

  /** A 0-d float32 tensor of {@code value} owned by PyTorch, alive as long as {@code manager}. */
  public static NDArray constant(NDManager manager, float value) {
    return manager.full(new Shape(), value);
  }
}
