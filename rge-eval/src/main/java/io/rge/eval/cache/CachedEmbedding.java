package io.rge.eval.cache;

import java.io.Serializable;
import java.util.Objects;

/**
 * An embedding as the cache stores it (serializable: distributed evaluation returns them from its
 * executors).
 *
 * @param vector the embedding [hidden]
 * @param rationale the generated rationale ("" for candidates and queries without reasoning)
 * @param rationaleTokens how many tokens the rationale has
 * @param embAppended whether {@code <emb>} had to be appended at the token limit
 */
public record CachedEmbedding(
    float[] vector, String rationale, int rationaleTokens, boolean embAppended)
    implements Serializable {
  public CachedEmbedding {
    Objects.requireNonNull(vector, "vector");
    Objects.requireNonNull(rationale, "rationale");
    if (rationaleTokens < 0) {
      throw new IllegalArgumentException("rationaleTokens must be >= 0, got " + rationaleTokens);
    }
  }

  /** A candidate's (or a plain query's) embedding: no rationale. */
  public static CachedEmbedding plain(float[] vector) {
    return new CachedEmbedding(vector, "", 0, false);
  }
}
