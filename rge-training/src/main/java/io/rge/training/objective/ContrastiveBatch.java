package io.rge.training.objective;

/** Which rows share one InfoNCE: every row of an optimizer step, or those of one micro-batch. */
public enum ContrastiveBatch {
  /**
   * Every row of the optimizer step ({@code batch_size × gradient_accumulation}), through {@link
   * GradCache}: each query sees every other row's target as a negative.
   */
  STEP,
  /** The rows of one micro-batch ({@code batch_size}); gradients are accumulated across them. */
  MICRO
}
