package io.rge.core.qwen25vl;

/** How image tokens are numbered by M-RoPE. */
public enum ImagePositions {
  /**
   * Qwen2.5-VL's 3-D positions: an image block takes (temporal, row, column) offsets from where it
   * starts and the text after it continues from the block's maximum + 1. What the model was trained
   * with and what transformers computes when its processor supplies {@code mm_token_type_ids}.
   */
  GRID,
  /**
   * Image tokens numbered like text, 0, 1, 2, … in all three components. Transformers 5 falls back
   * to this when a caller passes no {@code mm_token_type_ids}; only useful to reproduce references
   * made that way (the shipped qwen25vl-tiny fixture's image cases).
   */
  SEQUENTIAL
}
