package io.rge.core.generation;

/**
 * A generated rationale and the query embedding taken at its final {@code <emb>}.
 *
 * @param tokens the new tokens, ending with {@code <emb>}
 * @param embAppended true when the model did not write {@code <emb>} within the limit and it was
 *     appended
 * @param embedding the L2-normalised last-layer hidden state at that {@code <emb>}
 */
public record GeneratedQuery(int[] tokens, boolean embAppended, float[] embedding) {
  public GeneratedQuery {
    tokens = tokens.clone();
    embedding = embedding.clone();
  }

  @Override
  public int[] tokens() {
    return tokens.clone();
  }

  @Override
  public float[] embedding() {
    return embedding.clone();
  }

  /** The rationale's tokens without the final {@code <emb>}. */
  public int[] rationaleTokens() {
    return java.util.Arrays.copyOf(tokens, tokens.length - 1);
  }
}
