package io.rge.core.qwen25vl;

/**
 * What a forward pass returns besides the final hidden states.
 *
 * @param logits full-vocabulary logits at every position
 * @param hiddenStates transformers' {@code hidden_states}: the inputs embeddings, every layer's
 *     output and the final normed states
 * @param traceVision the vision tower's intermediate tensors (patch embeddings, merger output in
 *     window order)
 * @param gather {@code (row, position)} pairs whose final hidden states to return as one {@code
 *     [pairs, hidden]} array, e.g. the {@code <emb>} positions or the positions that predict
 *     labelled tokens; null for none
 */
public record OutputRequest(
    boolean logits, boolean hiddenStates, boolean traceVision, int[][] gather) {

  /** Final hidden states only. */
  public static OutputRequest hiddenOnly() {
    return new OutputRequest(false, false, false, null);
  }

  /** Final hidden states at the given {@code (row, position)} pairs. */
  public static OutputRequest gatherAt(int[][] positions) {
    return new OutputRequest(false, false, false, positions);
  }

  /** Everything, for parity checks against transformers. */
  public static OutputRequest everything() {
    return new OutputRequest(true, true, true, null);
  }
}
