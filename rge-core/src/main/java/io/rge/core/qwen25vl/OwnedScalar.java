package io.rge.core.qwen25vl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * Products and powers with a constant that a backward pass can rely on.
 *
 * <p>DJL's {@code Number} overloads ({@code x.mul(0.125f)}, {@code x.pow(-0.5f)}) wrap the constant
 * in a tensor over a Java direct buffer ({@code from_blob}) and close it at once. Autograd keeps
 * that tensor for the backward pass of {@code mul}, {@code div} and {@code pow}; when the garbage
 * collector frees the buffer first, the gradient reads freed memory — non-deterministically wrong,
 * sometimes NaN. Here the constant is made by {@code torch.full}, so the tensor owns its memory and
 * autograd's reference keeps it alive.
 */
final class OwnedScalar {
  private OwnedScalar() {}

  /** {@code x · value}, differentiable. */
  static NDArray mul(NDArray x, float value) {
    try (NDArray s = x.getManager().full(new Shape(), value, DataType.FLOAT32)) {
      return x.mul(s);
    }
  }

  /** {@code x ^ exponent}, differentiable. */
  static NDArray pow(NDArray x, float exponent) {
    try (NDArray s = x.getManager().full(new Shape(), exponent, DataType.FLOAT32)) {
      return x.pow(s);
    }
  }
}
