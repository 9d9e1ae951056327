package io.rge.training.metrics;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/**
 * What one optimizer step did: one line of {@code metrics.jsonl}. Losses are means over the step's
 * micro-batches, unweighted per term ({@code total = w_lm · lm + w_cl · contrastive}); a term that
 * did not run, or a value that was not finite, is null.
 *
 * @param step 1-based number of the step (equal to the optimizer steps taken so far, skipped ones
 *     included)
 * @param lr learning rate the step used
 * @param gradNorm global gradient norm before clipping
 * @param meanRationaleTokens mean length of the contrastive queries' rationales
 * @param generationSeconds time generating rationales
 * @param forwardBackwardSeconds time in the differentiable passes
 * @param seconds wall time of the step
 * @param examplesPerSecond rows of the step over its wall time
 * @param lmOnly whether the step was an LM-only warm-up step
 * @param skipped whether the update was skipped (non-finite loss or gradient)
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record StepMetrics(
    long step,
    Double total,
    Double lm,
    Double contrastive,
    double lr,
    Double gradNorm,
    double meanRationaleTokens,
    double generationSeconds,
    double forwardBackwardSeconds,
    double seconds,
    double examplesPerSecond,
    boolean lmOnly,
    boolean skipped) {

  /** NaN and infinities become null (JSON has no such numbers). */
  public static Double finiteOrNull(double value) {
    return Double.isFinite(value) ? value : null;
  }
}
