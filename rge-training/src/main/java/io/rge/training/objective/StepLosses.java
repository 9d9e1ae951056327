package io.rge.training.objective;

import java.util.List;

/**
 * What one step of the objective measured. Losses are unweighted means ({@code total} by {@link
 * ObjectiveSettings#total the loss formula}); NaN marks a term that did not run. A step whose
 * InfoNCE groups ({@link ContrastiveBatch}) are several reports the mean of their losses.
 *
 * @param total the weighted total; after a non-finite group, that group's non-finite value
 * @param meanRationaleTokens mean length of the rationales used for contrastive queries (generated
 *     or oracle), 0 when none
 * @param generationNanos time spent generating rationales (the slowest worker's)
 * @param forwardBackwardNanos time spent in the forward and backward passes
 * @param examples the step's rows
 * @param generatedRationales rationales generated on the fly (one per rge-mode query)
 * @param groups InfoNCE groups (or LM-only micro-batches) that had something to optimise
 */
public record StepLosses(
    double total,
    double lm,
    double contrastive,
    double meanRationaleTokens,
    long generationNanos,
    long forwardBackwardNanos,
    int examples,
    int generatedRationales,
    int groups) {

  public boolean isFinite() {
    return Double.isFinite(total);
  }

  /**
   * The step of {@code groups}, run in order up to the first non-finite one: the means of their
   * defined losses, the sums of their counts and times.
   */
  static StepLosses of(List<StepLosses> groups, int rows, long generationNanos) {
    long fb = 0;
    int generated = 0;
    for (StepLosses g : groups) {
      fb += g.forwardBackwardNanos;
      generated += g.generatedRationales;
    }
    StepLosses last = groups.isEmpty() ? null : groups.get(groups.size() - 1);
    double total =
        last != null && !last.isFinite()
            ? last.total
            : mean(groups.stream().mapToDouble(StepLosses::total).toArray());
    double rationale = mean(groups.stream().mapToDouble(StepLosses::meanRationaleTokens).toArray());
    return new StepLosses(
        total,
        mean(groups.stream().mapToDouble(StepLosses::lm).toArray()),
        mean(groups.stream().mapToDouble(StepLosses::contrastive).toArray()),
        Double.isNaN(rationale) ? 0 : rationale,
        generationNanos,
        fb,
        rows,
        generated,
        groups.size());
  }

  /** Mean of the defined (non-NaN) values, NaN when there are none. */
  private static double mean(double[] values) {
    double sum = 0;
    int count = 0;
    for (double v : values) {
      if (!Double.isNaN(v)) {
        sum += v;
        count++;
      }
    }
    return count == 0 ? Double.NaN : sum / count;
  }
}
