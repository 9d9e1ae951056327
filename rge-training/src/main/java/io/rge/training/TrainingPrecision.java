package io.rge.training;

import io.rge.core.precision.ComputePrecision;
import io.rge.core.precision.PrecisionChoice;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The precision a training run computes in. Training needs fp32 master weights and AdamW moments
 * beside half-precision compute weights (and loss scaling for fp16); until that lands, training
 * runs in fp32: {@code auto} means fp32 here, and bf16 or fp16 asked for explicitly is an error
 * that says so rather than a run in another precision than the config states.
 */
final class TrainingPrecision {
  private static final Logger LOG = LoggerFactory.getLogger(TrainingPrecision.class);

  private TrainingPrecision() {}

  /**
   * @param configured {@code precision} of the config (fp32, bf16, fp16 or auto)
   * @throws IllegalArgumentException for bf16 or fp16
   */
  static ComputePrecision check(String configured) {
    ComputePrecision requested = PrecisionChoice.parseOrAuto(configured);
    if (requested == null) {
      LOG.info("precision auto: training computes in fp32 (mixed precision is not implemented)");
      return ComputePrecision.FP32;
    }
    if (requested.isHalf()) {
      throw new IllegalArgumentException(
          "precision: "
              + requested
              + " training (fp32 master weights, half compute weights, loss scaling) is not"
              + " implemented yet; set precision: fp32 (or auto); "
              + requested
              + " works for eval, embed and parity (--precision)");
    }
    return requested;
  }
}
