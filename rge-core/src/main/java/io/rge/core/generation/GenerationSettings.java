package io.rge.core.generation;

/**
 * @param maxNewTokens tokens the model may write before {@code <emb>} is appended for it
 * @param decoding greedy or seeded sampling
 * @param batchSize sequences generated together
 */
public record GenerationSettings(int maxNewTokens, Decoding decoding, int batchSize) {
  public GenerationSettings {
    if (maxNewTokens < 0) {
      throw new IllegalArgumentException("max_new_tokens must be >= 0, got " + maxNewTokens);
    }
    if (batchSize <= 0) {
      throw new IllegalArgumentException("batch size must be > 0, got " + batchSize);
    }
    if (decoding == null) {
      throw new IllegalArgumentException("decoding is required");
    }
  }

  /** Greedy, 128 new tokens, 16 sequences at a time: the paper's evaluation protocol. */
  public static final GenerationSettings DEFAULT = greedy(128, 16);

  /** Greedy, as RGE trains and evaluates. */
  public static GenerationSettings greedy(int maxNewTokens, int batchSize) {
    return new GenerationSettings(maxNewTokens, Decoding.greedy(), batchSize);
  }
}
