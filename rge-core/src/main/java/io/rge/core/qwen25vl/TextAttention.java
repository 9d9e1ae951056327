package io.rge.core.qwen25vl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.index.NDIndex;

/**
 * Grouped-query self-attention of one decoder layer with M-RoPE: one fused q/k/v projection (with
 * biases), rotary embedding on q and k together, attention of each query-head group against its
 * shared key/value head, output projection without bias.
 *
 * <p>Shapes: B batch, L new tokens, K = cached + new keys, Hq query heads, Hkv key/value heads, G =
 * Hq / Hkv, d head dim.
 */
final class TextAttention {
  private final Projection qkv;
  private final Projection out;
  private final int queryHeads;
  private final int kvHeads;
  private final int headDim;
  private final NDArray scale;
  private final NDIndex qkHeads;
  private final NDIndex vHeads;
  private final NDIndex qHeads;
  private final NDIndex kHeads;

  TextAttention(Projection qkv, Projection out, int queryHeads, int kvHeads, int headDim) {
    this.qkv = qkv;
    this.out = out;
    this.queryHeads = queryHeads;
    this.kvHeads = kvHeads;
    this.headDim = headDim;
    this.scale = Scalars.constant(qkv.weightManager(), (float) Math.pow(headDim, -0.5));
    this.qkHeads = new NDIndex(":, 0:" + (queryHeads + kvHeads));
    this.vHeads = new NDIndex(":, " + (queryHeads + kvHeads) + ":");
    this.qHeads = new NDIndex(":, 0:" + queryHeads);
    this.kHeads = new NDIndex(":, " + queryHeads + ":");
  }

  /**
   * @param x {@code [B, L, hidden]}
   * @param rotary the pass's rotation, cos/sin {@code [B, 1, L, d]}
   * @param mask additive {@code [B, 1, 1, L, K]}, or null when every query sees every key
   * @param cache this layer's keys/values so far, extended in place; null for no cache
   */
  NDArray forward(NDArray x, Rotary rotary, NDArray mask, KvCache.Layer cache) {
    long b = x.getShape().get(0);
    long l = x.getShape().get(1);
    int groups = queryHeads / kvHeads;
    int heads = queryHeads + 2 * kvHeads;
    // One new token (a decoding step): [B, 1, heads, d] and [B, heads, 1, d] share a layout, so a
    // reshape replaces the transposes (fewer ops per step; each costs microseconds of host time).
    NDArray packed =
        l == 1
            ? qkv.apply(x).reshape(b, heads, 1, headDim)
            : qkv.apply(x).reshape(b, l, heads, headDim).transpose(0, 2, 1, 3);
    NDArray qk = rotary.apply(packed.get(qkHeads));
    NDArray q = qk.get(qHeads); // [B, Hq, L, d]
    NDArray k = qk.get(kHeads); // [B, Hkv, L, d]
    NDArray v = packed.get(vHeads); // [B, Hkv, L, d]
    if (cache != null) {
      NDList all = cache.append(k, v); // [B, Hkv, K, d] each
      k = all.get(0);
      v = all.get(1);
    }
    long keys = k.getShape().get(2);
    // Query heads of a group share one key/value head: fold the group into the query axis.
    NDArray grouped = q.reshape(b, kvHeads, groups * l, headDim);
    // [B, Hkv, G·L, K], fp32 from here to the softmax
    NDArray scores = Upcast.scores(grouped.matMul(k.transpose(0, 1, 3, 2)).mul(scale));
    if (mask != null) {
      // The mask varies over queries, not over the group: give it the group axis to broadcast.
      scores =
          scores
              .reshape(b, kvHeads, groups, l, keys)
              .add(mask)
              .reshape(b, kvHeads, groups * l, keys);
    }
    NDArray attended = Upcast.to(scores.softmax(-1), v.getDataType()).matMul(v); // [B,Hkv,G·L,d]
    NDArray merged =
        l == 1
            ? attended.reshape(b, 1, (long) queryHeads * headDim)
            : attended
                .reshape(b, queryHeads, l, headDim)
                .transpose(0, 2, 1, 3)
                .reshape(b, l, (long) queryHeads * headDim);
    return out.apply(merged);
  }
}
