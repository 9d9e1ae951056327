package io.rge.training.schedule;

/**
 * Two schedules one after the other: {@code first} up to {@code restartStep}, then {@code second}
 * counted from 0 again. The reasoning modes use it to give the joint phase, which follows the
 * LM-only warm-up, its own warm-up and cosine decay instead of the tail of one long cosine (where
 * the contrastive term would only ever see a tenth to a fifth of the peak rate).
 *
 * @param first the schedule of steps {@code [0, restartStep)}
 * @param restartStep the first step of {@code second}
 * @param second the schedule of steps {@code restartStep} on, at {@code step - restartStep}
 */
public record RestartedSchedule(LearningRate first, long restartStep, LearningRate second)
    implements LearningRate {
  public RestartedSchedule {
    if (restartStep < 0) {
      throw new IllegalArgumentException("restart step must be >= 0, got " + restartStep);
    }
  }

  @Override
  public double at(long step) {
    if (step < 0) {
      throw new IllegalArgumentException("step must be >= 0, got " + step);
    }
    return step < restartStep ? first.at(step) : second.at(step - restartStep);
  }
}
