package io.rge.core.qwen25vl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.jni.JniUtils;

/**
 * Type changes of a half-precision forward pass (weights and activations bf16 or fp16, the
 * numerically sensitive steps fp32). Each is the identity, with no operation at all, on an array
 * that already has the type, so an fp32 model runs exactly the operations it always ran.
 *
 * <p>DJL 0.36 runs {@code toType} under PyTorch's NoGradGuard, so a cast made with it cuts the
 * graph. While autograd records, casts therefore go through arithmetic, which PyTorch
 * differentiates across types: up by a product with a one-element fp32 array (type promotion; a
 * 0-dimensional array would not promote), down by adding into fresh zeros of the target type (an
 * in-place add casts its result to the destination's type). Outside a gradient collector {@code
 * toType} is used: one kernel, no graph to keep.
 */
public final class Upcast {
  /** fp16's largest finite value. */
  private static final float FP16_MAX = 65504f;

  private Upcast() {}

  /** {@code x} as {@code type}; {@code x} itself when it has it. Differentiable under autograd. */
  public static NDArray to(NDArray x, DataType type) {
    if (x.getDataType() == type) {
      return x;
    }
    if (!JniUtils.isGradMode()) {
      return x.toType(type, false);
    }
    if (type == DataType.FLOAT32) {
      return x.mul(x.getManager().ones(new Shape(1))); // [...] half × [1] fp32 → fp32
    }
    return x.getManager().zeros(x.getShape(), type).addi(x);
  }

  public static NDArray toFp32(NDArray x) {
    return to(x, DataType.FLOAT32);
  }

  /**
   * The values of {@code x}, whatever its floating type, as a Java {@code float[]}: DJL's {@code
   * toFloatArray} accepts FLOAT32 only ("DataType mismatch, Required float, Actual bfloat16"). A
   * half array is widened by a temporary fp32 copy (one kernel, no graph), closed at once.
   */
  public static float[] hostFloats(NDArray x) {
    if (x.getDataType() == DataType.FLOAT32) {
      return x.toFloatArray();
    }
    try (NDArray fp32 = x.toType(DataType.FLOAT32, false)) {
      return fp32.toFloatArray();
    }
  }

  /** The single value of a one-element {@code x} of any floating type, as {@link #hostFloats}. */
  public static float hostFloat(NDArray x) {
    if (x.getDataType() == DataType.FLOAT32) {
      return x.getFloat();
    }
    try (NDArray fp32 = x.toType(DataType.FLOAT32, false)) {
      return fp32.getFloat();
    }
  }

  /**
   * Attention scores ready for the mask and softmax, in fp32. fp16 scores are clamped to fp16's
   * finite range first: a q·k product past 65504 is ±inf in fp16, and {@code inf − inf} in the
   * softmax turns a whole row NaN (transformers issue 33294). transformers' fix (PR 33312) zeroed
   * infinite scores, which also unmasks masked keys (issue 35151); clamping keeps the overflowed
   * score the largest of its row and the mask, added afterwards in fp32, intact.
   */
  static NDArray scores(NDArray scores) {
    return switch (scores.getDataType()) {
      case FLOAT32 -> scores;
      case FLOAT16 -> toFp32(scores).clip(-FP16_MAX, FP16_MAX);
      default -> toFp32(scores);
    };
  }
}
