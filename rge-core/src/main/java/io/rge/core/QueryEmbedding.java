package io.rge.core;

/**
 * A query's embedding and how it was reached.
 *
 * @param vector the L2-normalised hidden state at {@code <emb>}
 * @param rationale the generated rationale (empty without reasoning)
 * @param rationaleTokens its token ids, without the final {@code <emb>}
 * @param embAppended true when the model did not write {@code <emb>} within the token limit and it
 *     was appended
 */
public record QueryEmbedding(
    float[] vector, String rationale, int[] rationaleTokens, boolean embAppended) {
  public QueryEmbedding {
    vector = vector.clone();
    rationaleTokens = rationaleTokens.clone();
  }

  @Override
  public float[] vector() {
    return vector.clone();
  }

  @Override
  public int[] rationaleTokens() {
    return rationaleTokens.clone();
  }

  /**
   * Cosine similarity with another vector: {@code q·c / (|q| |c|)}, normalised here (so it equals
   * the dot product only when both are unit vectors, as the model's own embeddings are).
   */
  public double similarity(float[] other) {
    return Cosine.similarity(vector, other);
  }
}
