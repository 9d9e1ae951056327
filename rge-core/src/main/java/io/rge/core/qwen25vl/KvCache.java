package io.rge.core.qwen25vl;

import ai.djl.ndarray.NDArray;
import java.util.ArrayList;
import java.util.List;

/**
 * Keys and values of every decoder layer for the tokens seen so far, {@code [B, Hkv, K, d]} per
 * layer, plus what decoding needs to continue positions: the padded length so far and each row's
 * M-RoPE delta. Arrays live in the manager of the generation that owns the cache.
 */
public final class KvCache {
  private final List<Layer> layers = new ArrayList<>();
  private long[] deltas;
  private int length;

  KvCache(int layerCount) {
    for (int i = 0; i < layerCount; i++) {
      layers.add(new Layer());
    }
  }

  Layer layer(int i) {
    return layers.get(i);
  }

  /** Cached positions per row (padding included). */
  public int length() {
    return length;
  }

  void advance(int tokens) {
    length += tokens;
  }

  long[] deltas() {
    return deltas;
  }

  void setDeltas(long[] deltas) {
    this.deltas = deltas.clone();
  }

  /** Rows in the batch. */
  public int rows() {
    return deltas == null ? 0 : deltas.length;
  }

  /**
   * Keeps only the given rows (in that order), dropping finished sequences from the work of the
   * following steps.
   */
  void keepRows(NDArray rowIndex, int[] rows) {
    for (Layer l : layers) {
      if (l.keys != null) {
        l.keys = l.keys.get(rowIndex);
        l.values = l.values.get(rowIndex);
      }
    }
    long[] kept = new long[rows.length];
    for (int i = 0; i < rows.length; i++) {
      kept[i] = deltas[rows[i]];
    }
    deltas = kept;
  }

  /** One layer's cached keys and values; null before the first step. */
  static final class Layer {
    NDArray keys;
    NDArray values;
  }
}
