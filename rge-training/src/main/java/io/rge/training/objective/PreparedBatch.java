package io.rge.training.objective;

/**
 * A batch after the objective's {@code prepare} phase: its token sequences (with generated
 * rationales in place) and what building them cost.
 *
 * @param tokens both passes and where each embedding is read
 * @param meanRationaleTokens mean length of the rationales the contrastive queries use (generated
 *     or oracle), 0 when none
 * @param generationNanos time spent generating rationales
 * @param generatedRationales rationales generated for this batch (one per rge-mode query)
 */
public record PreparedBatch(
    TokenBatch tokens, double meanRationaleTokens, long generationNanos, int generatedRationales) {

  /** Rows of the batch: its queries, or with no contrastive term its oracle sequences. */
  int rows() {
    return tokens.queries().isEmpty() ? tokens.oracle().size() : tokens.queries().size();
  }
}
