package io.rge.training;

import ai.djl.Device;
import io.rge.core.precision.ComputePrecision;
import io.rge.core.precision.PrecisionChoice;
import io.rge.training.precision.LossScale;

/**
 * The precision a training run computes in: {@code fp32}, or mixed precision in {@code bf16} /
 * {@code fp16} (half-precision compute weights, fp32 master weights and AdamW moments, see {@link
 * io.rge.training.precision.MasterWeights}; fp16 adds a dynamic {@link LossScale}). {@code auto} is
 * fp32 on the CPU and, on a GPU, bf16 where the JNI library maps it, else fp16.
 */
final class TrainingPrecision {
  private TrainingPrecision() {}

  /**
   * The precision to train in on {@code device}.
   *
   * @param configured {@code precision} of the config, or null for auto
   * @throws IllegalStateException for bf16 where the JNI library cannot hold it (naming the fix),
   *     before any bf16 array exists
   */
  static ComputePrecision check(ComputePrecision configured, Device device) {
    return PrecisionChoice.resolve(configured, device);
  }

  /**
   * The precision a memory plan assumes: as configured, without requiring bf16 support (a plan
   * creates no array, and one for a GPU machine may be made elsewhere); auto as on {@code device}.
   */
  static ComputePrecision planned(ComputePrecision configured, Device device) {
    return configured != null ? configured : PrecisionChoice.resolve(null, device);
  }

  /** The loss scale a fresh run starts with: dynamic for fp16, none otherwise. */
  static LossScale initialLossScale(ComputePrecision precision) {
    return precision == ComputePrecision.FP16 ? LossScale.dynamic() : LossScale.none();
  }
}
