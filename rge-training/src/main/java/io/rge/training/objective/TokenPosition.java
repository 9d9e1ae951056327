package io.rge.training.objective;

/**
 * Where an embedding is read: position {@code index} (the {@code <emb>} token) of row {@code row}
 * of one of the two forward passes of a {@link TokenBatch}.
 */
public record TokenPosition(Pass pass, int row, int index) {

  /** The two forward passes of an objective step, run in this order. */
  public enum Pass {
    /**
     * Oracle sequences, teacher-forced: prompt + oracle rationale + {@code <emb>} with labels (the
     * LM term; also the contrastive queries in oracle-leak mode).
     */
    ORACLE,
    /** Sequences only embedded: queries after their own rationale (or none), then candidates. */
    EMBEDDING
  }

  public TokenPosition {
    if (pass == null || row < 0 || index < 0) {
      throw new IllegalArgumentException(
          "token position (" + pass + ", " + row + ", " + index + ") is incomplete or negative");
    }
  }

  /** Position {@code index} of row {@code row} of the oracle pass. */
  public static TokenPosition oracle(int row, int index) {
    return new TokenPosition(Pass.ORACLE, row, index);
  }

  /** Position {@code index} of row {@code row} of the embedding pass. */
  public static TokenPosition embedding(int row, int index) {
    return new TokenPosition(Pass.EMBEDDING, row, index);
  }
}
