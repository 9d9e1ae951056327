package io.rge.core.qwen25vl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/**
 * Additive causal + padding masks {@code [B, 1, 1, L, K]} (0 where a query may attend, a large
 * negative where it may not). A large finite value rather than −∞ keeps fully padded query rows
 * finite, as transformers does, so that nothing NaN reaches the real rows.
 */
final class AttentionMask {
  static final float BLOCKED = -1e9f;

  private AttentionMask() {}

  /**
   * @param keyValid {@code [B][K]} 1 for real tokens, 0 for padding, over cached + new positions
   * @param queryOffset index of the first new token among the K key positions
   * @param queries number of new tokens L
   * @return the mask, or null when no query is blocked from any key
   */
  static NDArray causal(NDManager scope, int[][] keyValid, int queryOffset, int queries) {
    int b = keyValid.length;
    int k = b == 0 ? 0 : keyValid[0].length;
    float[] mask = new float[b * queries * k];
    boolean blocked = false;
    for (int row = 0; row < b; row++) {
      for (int i = 0; i < queries; i++) {
        int base = (row * queries + i) * k;
        for (int j = 0; j < k; j++) {
          boolean allowed = keyValid[row][j] != 0 && j <= queryOffset + i;
          if (!allowed) {
            mask[base + j] = BLOCKED;
            blocked = true;
          }
        }
      }
    }
    // Nothing to block (a decoding step without padding): adding zeros would be a wasted op.
    return blocked ? scope.create(mask, new Shape(b, 1, 1, queries, k)) : null;
  }
}
