package io.rge.core.qwen25vl;

import ai.djl.ndarray.NDArray;

/** One decoder layer: pre-norm grouped-query attention and pre-norm SwiGLU MLP, both residual. */
final class DecoderLayer {
  private final RmsNorm inputNorm;
  private final TextAttention attention;
  private final RmsNorm postAttentionNorm;
  private final SwiGluMlp mlp;

  DecoderLayer(
      RmsNorm inputNorm, TextAttention attention, RmsNorm postAttentionNorm, SwiGluMlp mlp) {
    this.inputNorm = inputNorm;
    this.attention = attention;
    this.postAttentionNorm = postAttentionNorm;
    this.mlp = mlp;
  }

  /** {@code [B, L, hidden] → [B, L, hidden]}. */
  NDArray forward(NDArray x, Rotary rotary, NDArray mask, KvCache.Layer cache) {
    NDArray h = x.add(attention.forward(inputNorm.forward(x), rotary, mask, cache));
    return h.add(mlp.forward(postAttentionNorm.forward(h)));
  }
}
