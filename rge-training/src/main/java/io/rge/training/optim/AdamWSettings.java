package io.rge.training.optim;

/**
 * AdamW's constants (the learning rate comes from the schedule at each step).
 *
 * @param beta1 decay of the first moment (0.9)
 * @param beta2 decay of the second moment (0.999)
 * @param eps added to the bias-corrected root of the second moment (1e-8)
 * @param weightDecay decoupled decay, applied only to weights whose {@code decay()} flag is set
 */
public record AdamWSettings(double beta1, double beta2, double eps, double weightDecay) {

  public AdamWSettings {
    if (!(beta1 >= 0 && beta1 < 1) || !(beta2 >= 0 && beta2 < 1)) {
      throw new IllegalArgumentException(
          "betas must be in [0, 1), got [" + beta1 + ", " + beta2 + "]");
    }
    if (!(eps > 0)) {
      throw new IllegalArgumentException("eps must be > 0, got " + eps);
    }
    if (!(weightDecay >= 0) || Double.isInfinite(weightDecay)) {
      throw new IllegalArgumentException("weight decay must be >= 0, got " + weightDecay);
    }
  }

  /** PyTorch's defaults with the given decay: betas (0.9, 0.999), eps 1e-8. */
  public static AdamWSettings defaults(double weightDecay) {
    return new AdamWSettings(0.9, 0.999, 1e-8, weightDecay);
  }
}
