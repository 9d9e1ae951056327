package io.rge.core.qwen25vl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import java.util.ArrayList;
import java.util.List;

/**
 * Keys and values of every decoder layer for the tokens seen so far, {@code [B, Hkv, K, d]} per
 * layer, plus what decoding needs to continue positions: the padded length so far and each row's
 * M-RoPE delta. Arrays live in the manager of the generation that owns the cache.
 */
public final class KvCache implements AutoCloseable {
  private final List<Layer> layers = new ArrayList<>();
  private final NDManager manager;
  private long[] deltas;
  private int length;

  KvCache(int layerCount, NDManager parent) {
    this.manager = parent.newSubManager();
    for (int i = 0; i < layerCount; i++) {
      layers.add(new Layer(manager));
    }
  }

  /** Frees the cached keys and values. */
  @Override
  public void close() {
    manager.close();
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
        l.replace(l.keys.get(rowIndex), l.values.get(rowIndex));
      }
    }
    long[] kept = new long[rows.length];
    for (int i = 0; i < rows.length; i++) {
      kept[i] = deltas[rows[i]];
    }
    deltas = kept;
  }

  /**
   * One layer's cached keys and values; null before the first step. Each update frees the arrays it
   * replaces, so a long generation holds one copy of the cache, not one per step.
   */
  static final class Layer {
    private final NDManager manager;
    private NDArray keys;
    private NDArray values;

    Layer(NDManager manager) {
      this.manager = manager;
    }

    /**
     * Appends a step's keys and values {@code [B, Hkv, L, d]} after the cached ones along the
     * position axis and returns all of them, {@code [B, Hkv, K, d]} each (keys, then values).
     */
    NDList append(NDArray newKeys, NDArray newValues) {
      NDArray k = newKeys;
      NDArray v = newValues;
      if (keys != null) {
        k = NDArrays.concat(new NDList(keys, newKeys), 2);
        v = NDArrays.concat(new NDList(values, newValues), 2);
      }
      replace(k, v);
      return new NDList(k, v);
    }

    private void replace(NDArray newKeys, NDArray newValues) {
      NDArray oldKeys = keys;
      NDArray oldValues = values;
      newKeys.attach(manager);
      newValues.attach(manager);
      keys = newKeys;
      values = newValues;
      if (oldKeys != null) {
        oldKeys.close();
        oldValues.close();
      }
    }
  }
}
