package io.rge.training.schedule;

/** A learning rate as a pure function of the 0-based optimizer step. */
public interface LearningRate {
  /** The learning rate of the update made at 0-based step {@code step}. */
  double at(long step);
}
