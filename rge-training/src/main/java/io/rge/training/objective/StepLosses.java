package io.rge.training.objective;

/**
 * What one objective evaluation measured. Losses are unweighted means over the batch ({@code total
 * = w_lm · lm + w_cl · contrastive}); NaN marks a term that did not run.
 *
 * @param meanRationaleTokens mean length of the rationales used for contrastive queries (generated
 *     or oracle), 0 when none
 * @param generationNanos time spent generating rationales
 * @param forwardBackwardNanos time spent in the forward and backward passes
 * @param examples query/target pairs (the contrastive queries; at the token level, its queries)
 * @param generatedRationales rationales generated on the fly (one per rge-mode query)
 */
public record StepLosses(
    double total,
    double lm,
    double contrastive,
    double meanRationaleTokens,
    long generationNanos,
    long forwardBackwardNanos,
    int examples,
    int generatedRationales) {

  public boolean isFinite() {
    return Double.isFinite(total);
  }
}
