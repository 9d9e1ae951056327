package io.rge.core.qwen25vl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/**
 * Rotary position embedding for one forward pass: {@code x·cos + rotate_half(x)·sin}, where {@code
 * rotate_half(x) = [−x₂, x₁]} for the halves {@code x₁, x₂} of the head dimension.
 *
 * <p>{@code rotate_half} is one product with a constant signed permutation matrix (exact in float,
 * since each output is a single ±1 term) instead of two slices, a negation and a concatenation. The
 * tables follow transformers' float32 arithmetic: {@code inv_freq[i] = 1 / θ^(2i/d)}, angles {@code
 * position · inv_freq} in float32.
 *
 * @param cos cosines broadcasting against the rotated arrays' {@code [..., headDim]} (decoder:
 *     {@code [B, 1, L, d]}; vision: {@code [N, 1, 1, d]}), in the pass's scope
 * @param sin sines, shaped like {@code cos}
 * @param rotateHalf the matrix R with {@code x·R = rotate_half(x)}, {@code [d, d]}, owned by the
 *     model
 */
record Rotary(NDArray cos, NDArray sin, NDArray rotateHalf) {

  /** {@code x·cos + (x·R)·sin}, computed in fp32 and returned in the type of {@code x}. */
  NDArray apply(NDArray x) {
    NDArray x32 = Upcast.toFp32(x);
    return Upcast.to(x32.mul(cos).add(x32.matMul(rotateHalf).mul(sin)), x.getDataType());
  }

  /** The matrix R with {@code x·R = rotate_half(x)}, {@code [headDim, headDim]}. */
  static NDArray rotateHalfMatrix(NDManager manager, int headDim) {
    int half = headDim / 2;
    float[] r = new float[headDim * headDim];
    for (int j = 0; j < half; j++) {
      r[(j + half) * headDim + j] = -1f; // out[j] = −x[j + half]
      r[j * headDim + (j + half)] = 1f; // out[j + half] = x[j]
    }
    return manager.create(r, new Shape(headDim, headDim));
  }

  /** {@code 1 / θ^(2i/dim)} for {@code i < dim/2}, in float32 as torch computes it. */
  static float[] inverseFrequencies(double theta, int dim) {
    float[] inv = new float[dim / 2];
    for (int i = 0; i < inv.length; i++) {
      float exponent = (float) (2 * i) / (float) dim;
      inv[i] = 1f / (float) Math.pow(theta, exponent);
    }
    return inv;
  }
}
