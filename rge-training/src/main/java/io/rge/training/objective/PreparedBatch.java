package io.rge.training.objective;

/**
 * A batch after the objective's first three phases: its token sequences (with generated rationales
 * in place) and what building them cost.
 *
 * @param tokens both passes and where each embedding is read
 * @param meanRationaleTokens mean length of the rationales the contrastive queries use (generated
 *     or oracle), 0 when none
 * @param generationNanos time spent generating rationales
 * @param generatedRationales rationales generated for this batch (one per rge-mode query)
 */
public record PreparedBatch(
    TokenBatch tokens, double meanRationaleTokens, long generationNanos, int generatedRationales) {

  /** A token batch given as it is: nothing generated. */
  static PreparedBatch given(TokenBatch tokens) {
    return new PreparedBatch(tokens, 0, 0, 0);
  }

  StepLosses losses(RgeObjective.Outcome o) {
    return new StepLosses(
        o.total(),
        o.lm(),
        o.contrastive(),
        meanRationaleTokens,
        generationNanos,
        o.nanos(),
        tokens.queries().size(),
        generatedRationales);
  }
}
