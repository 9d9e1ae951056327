package io.rge.training.objective;

/**
 * Where an embedding is read: position {@code index} of row {@code row} of forward pass {@code
 * pass} of a {@link TokenBatch} (the {@code <emb>} token of that sequence).
 */
public record TokenPosition(int pass, int row, int index) {
  public TokenPosition {
    if (pass < 0 || row < 0 || index < 0) {
      throw new IllegalArgumentException(
          "token position (" + pass + ", " + row + ", " + index + ") has a negative part");
    }
  }
}
