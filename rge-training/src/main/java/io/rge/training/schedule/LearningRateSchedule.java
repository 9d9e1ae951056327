package io.rge.training.schedule;

/**
 * Linear warm-up then cosine decay, as a pure function of the optimizer step.
 *
 * <p>For the 0-based step {@code s} (the number of updates already made):
 *
 * <ul>
 *   <li>{@code s < warmupSteps}: {@code peak · (s + 1) / warmupSteps}, so the first update already
 *       moves the weights and step {@code warmupSteps - 1} runs at the peak (transformers starts at
 *       0 and wastes the first update);
 *   <li>otherwise, with {@code p = (s - warmupSteps) / (totalSteps - warmupSteps)}: {@code peak ·
 *       (r + (1 - r) · (1 + cos(π p)) / 2)}, r the minimum ratio; {@code p} reaches 1 only at
 *       {@code s = totalSteps} (transformers' convention), and steps past the end stay at {@code
 *       peak · r}.
 * </ul>
 *
 * @param peakLr the learning rate after warm-up
 * @param warmupSteps updates with a linearly rising rate (0 for none)
 * @param totalSteps updates of the whole run
 * @param minLrRatio the final rate as a fraction of the peak, in [0, 1]
 */
public record LearningRateSchedule(
    double peakLr, long warmupSteps, long totalSteps, double minLrRatio) implements LearningRate {

  public LearningRateSchedule {
    if (!(peakLr > 0) || Double.isInfinite(peakLr)) {
      throw new IllegalArgumentException("learning rate must be > 0, got " + peakLr);
    }
    if (totalSteps < 1) {
      throw new IllegalArgumentException("total steps must be >= 1, got " + totalSteps);
    }
    if (warmupSteps < 0 || warmupSteps > totalSteps) {
      throw new IllegalArgumentException(
          "warm-up steps must be in [0, total steps = " + totalSteps + "], got " + warmupSteps);
    }
    if (!(minLrRatio >= 0 && minLrRatio <= 1)) {
      throw new IllegalArgumentException("min lr ratio must be in [0, 1], got " + minLrRatio);
    }
  }

  /** The learning rate of the update made at 0-based step {@code step}. */
  @Override
  public double at(long step) {
    if (step < 0) {
      throw new IllegalArgumentException("step must be >= 0, got " + step);
    }
    if (step < warmupSteps) {
      return peakLr * (step + 1) / warmupSteps;
    }
    long decaySteps = totalSteps - warmupSteps;
    double progress =
        decaySteps == 0 ? 1 : Math.min(1.0, (double) (step - warmupSteps) / decaySteps);
    double cosine = 0.5 * (1 + Math.cos(Math.PI * progress));
    return peakLr * (minLrRatio + (1 - minLrRatio) * cosine);
  }
}
