package io.rge.core.qwen25vl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.index.NDIndex;

/**
 * Multi-head self-attention of one vision block, restricted to segments (windows, or whole image
 * frames): fused q/k/v projection with bias, 2-D rotary embedding, softmax attention inside each
 * segment, output projection.
 *
 * <p>Shapes: N patches, H heads, d head dim, S segments of at most M patches.
 */
final class VisionAttention {
  private static final NDIndex QK = new NDIndex(":, 0:2");
  private static final NDIndex V = new NDIndex(":, 2:3");
  private final Projection qkv;
  private final Projection proj;
  private final int heads;
  private final int headDim;
  private final NDArray scale;

  VisionAttention(Projection qkv, Projection proj, int heads, int headDim) {
    this.qkv = qkv;
    this.proj = proj;
    this.heads = heads;
    this.headDim = headDim;
    this.scale = Scalars.constant(qkv.weightManager(), (float) Math.pow(headDim, -0.5));
  }

  /**
   * @param x {@code [N, H·d]}
   * @param rotary the pass's rotation, cos/sin {@code [N, 1, 1, d]}
   */
  NDArray forward(NDArray x, Rotary rotary, VisionLayout.Segments segments) {
    long n = x.getShape().get(0);
    NDArray packed = qkv.apply(x).reshape(n, 3, heads, headDim); // [N, 3, H, d]
    NDArray qk = rotary.apply(packed.get(QK)); // [N, 2, H, d]
    NDArray all = NDArrays.concat(new NDList(qk, packed.get(V)), 1); // [N, 3, H, d]
    if (segments.gather() != null) {
      all = all.get(segments.gather()); // [S·M, 3, H, d]
    }
    int s = segments.count();
    int m = segments.maxLength();
    NDList qkvs = all.reshape(s, m, 3, heads, headDim).transpose(2, 0, 3, 1, 4).split(3, 0);
    NDArray q = qkvs.get(0).squeeze(0); // [S, H, M, d]
    NDArray k = qkvs.get(1).squeeze(0);
    NDArray v = qkvs.get(2).squeeze(0);
    NDArray scores = Upcast.scores(q.matMul(k.transpose(0, 1, 3, 2)).mul(scale)); // [S,H,M,M]
    if (segments.keyMask() != null) {
      scores = scores.add(segments.keyMask());
    }
    NDArray out = Upcast.to(scores.softmax(-1), v.getDataType()).matMul(v); // [S, H, M, d]
    out = out.transpose(0, 2, 1, 3).reshape((long) s * m, (long) heads * headDim);
    if (segments.scatterBack() != null) {
      out = out.get(segments.scatterBack()); // [N, H·d]
    }
    return proj.apply(out);
  }
}
