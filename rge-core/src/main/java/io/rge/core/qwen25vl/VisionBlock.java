package io.rge.core.qwen25vl;

import ai.djl.ndarray.NDArray;

/** One vision transformer block: pre-norm attention and pre-norm SwiGLU MLP, both residual. */
final class VisionBlock {
  private final RmsNorm norm1;
  private final VisionAttention attn;
  private final RmsNorm norm2;
  private final SwiGluMlp mlp;
  private final boolean fullAttention;

  VisionBlock(
      RmsNorm norm1, VisionAttention attn, RmsNorm norm2, SwiGluMlp mlp, boolean fullAttention) {
    this.norm1 = norm1;
    this.attn = attn;
    this.norm2 = norm2;
    this.mlp = mlp;
    this.fullAttention = fullAttention;
  }

  /** {@code [N, hidden] → [N, hidden]}; full-attention blocks use the image segments. */
  NDArray forward(
      NDArray x, Rotary rotary, VisionLayout.Segments windows, VisionLayout.Segments images) {
    NDArray h = x.add(attn.forward(norm1.forward(x), rotary, fullAttention ? images : windows));
    return h.add(mlp.forward(norm2.forward(h)));
  }
}
