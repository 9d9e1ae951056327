package io.rge.training.precision;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/**
 * fp16's dynamic loss scale, as PyTorch's {@code GradScaler} runs it: the loss is multiplied by
 * {@code scale} before the backward pass so that small gradients do not underflow fp16, and the
 * gradients are divided by it again (in fp32) before the norm and the update. A step whose
 * gradients are not finite is skipped and the scale halved; after {@code growthInterval} clean
 * steps in a row it doubles. Saved in the trainer state, so a resumed run continues with the same
 * scale and count. bf16 and fp32 need no scaling: {@link #none()}, which never changes.
 *
 * @param scale the factor on the loss
 * @param cleanSteps finite steps in a row since the last change
 * @param growthInterval clean steps after which the scale doubles; 0 for a fixed scale of 1
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record LossScale(double scale, int cleanSteps, int growthInterval) {
  /** 2^16, GradScaler's initial scale. */
  public static final double INITIAL = 65536;

  /** GradScaler's growth interval. */
  public static final int GROWTH_INTERVAL = 2000;

  public LossScale {
    if (!(scale > 0) || Double.isInfinite(scale)) {
      throw new IllegalArgumentException("loss scale must be finite and > 0, got " + scale);
    }
    if (growthInterval < 0
        || cleanSteps < 0
        || (growthInterval > 0 && cleanSteps >= growthInterval)) {
      throw new IllegalArgumentException(
          "loss scale counters: "
              + cleanSteps
              + " clean steps of a growth interval "
              + growthInterval);
    }
    if (growthInterval == 0 && scale != 1) {
      throw new IllegalArgumentException("a fixed loss scale is 1, got " + scale);
    }
  }

  /** fp16's scale: 2^16, doubling after {@value #GROWTH_INTERVAL} clean steps. */
  public static LossScale dynamic() {
    return dynamic(GROWTH_INTERVAL);
  }

  /** A dynamic scale starting at 2^16 that doubles after {@code growthInterval} clean steps. */
  public static LossScale dynamic(int growthInterval) {
    if (growthInterval < 1) {
      throw new IllegalArgumentException("growth interval must be >= 1, got " + growthInterval);
    }
    return new LossScale(INITIAL, 0, growthInterval);
  }

  /** No scaling (fp32, bf16). */
  public static LossScale none() {
    return new LossScale(1, 0, 0);
  }

  @JsonIgnore
  public boolean isDynamic() {
    return growthInterval > 0;
  }

  /**
   * The scale for the next step.
   *
   * @param overflow whether this step's loss or gradients were not finite (the step was skipped)
   */
  public LossScale after(boolean overflow) {
    if (!isDynamic()) {
      return this;
    }
    if (overflow) {
      return new LossScale(scale / 2, 0, growthInterval);
    }
    if (cleanSteps + 1 == growthInterval) {
      return new LossScale(scale * 2, 0, growthInterval);
    }
    return new LossScale(scale, cleanSteps + 1, growthInterval);
  }
}
