package io.rge.training;

import io.rge.core.RgeModel;

/** Test seams: code run at fixed points of each step (e.g. to poison weights or gradients). */
interface TrainerHooks {
  TrainerHooks NONE = new TrainerHooks() {};

  /** Before step {@code step} (0-based) draws its data. */
  default void beforeStep(long step, RgeModel model) {}

  /** After each micro-batch's backward pass of step {@code step}. */
  default void afterBackward(long step, RgeModel model) {}
}
