package io.rge.core.qwen25vl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
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
   * following steps; the row index array lives in {@code scope}.
   */
  public void keepRows(NDManager scope, int[] rows) {
    NDArray rowIndex = scope.create(longs(rows)); // [R]
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
   * A new cache, in a child of {@code parent}, holding copies of the given rows of this one (a row
   * may be listed more than once: a shared prefix copied to every row that continues it); the row
   * index array lives in {@code scope}.
   */
  public KvCache copyRows(NDManager parent, NDManager scope, int[] rows) {
    NDArray rowIndex = scope.create(longs(rows)); // [R]
    KvCache copy = new KvCache(layers.size(), parent);
    for (int i = 0; i < layers.size(); i++) {
      Layer l = layers.get(i);
      if (l.keys != null) {
        copy.layers.get(i).replace(l.keys.get(rowIndex), l.values.get(rowIndex));
      }
    }
    long[] kept = new long[rows.length];
    for (int i = 0; i < rows.length; i++) {
      kept[i] = deltas[rows[i]];
    }
    copy.deltas = kept;
    copy.length = length;
    return copy;
  }

  /**
   * Appends the rows of {@code other} after this cache's rows. The shorter of the two is
   * left-padded with zero keys and values to the longer length (the caller masks those columns),
   * and its deltas shrink by the padding so that every row's next position is unchanged; {@code
   * other} stays the caller's to close.
   */
  public void appendRows(NDManager scope, KvCache other) {
    int merged = Math.max(length, other.length);
    for (int i = 0; i < layers.size(); i++) {
      Layer mine = layers.get(i);
      Layer theirs = other.layers.get(i);
      mine.replace(
          NDArrays.concat(
              new NDList(
                  leftPadded(scope, mine.keys, merged), leftPadded(scope, theirs.keys, merged)),
              0),
          NDArrays.concat(
              new NDList(
                  leftPadded(scope, mine.values, merged), leftPadded(scope, theirs.values, merged)),
              0));
    }
    long[] joined = new long[deltas.length + other.deltas.length];
    for (int r = 0; r < deltas.length; r++) {
      joined[r] = deltas[r] - (merged - length);
    }
    for (int r = 0; r < other.deltas.length; r++) {
      joined[deltas.length + r] = other.deltas[r] - (merged - other.length);
    }
    deltas = joined;
    length = merged;
  }

  private static long[] longs(int[] values) {
    long[] out = new long[values.length];
    for (int i = 0; i < values.length; i++) {
      out[i] = values[i];
    }
    return out;
  }

  /** {@code [B, Hkv, K, d] → [B, Hkv, length, d]} with zeros in front; the padding in scope. */
  private static NDArray leftPadded(NDManager scope, NDArray x, int length) {
    Shape shape = x.getShape();
    long missing = length - shape.get(2);
    if (missing == 0) {
      return x;
    }
    Shape padding = new Shape(shape.get(0), shape.get(1), missing, shape.get(3));
    NDArray zeros = scope.zeros(padding, x.getDataType(), x.getDevice());
    return NDArrays.concat(new NDList(zeros, x), 2);
  }

  /**
   * Drops the first {@code columns} cached positions of every row (padding no row attends to any
   * more); deltas grow by as much, so positions continue unchanged.
   */
  public void dropLeading(int columns) {
    if (columns == 0) {
      return;
    }
    NDIndex rest = new NDIndex(":, :, " + columns + ":, :");
    for (Layer l : layers) {
      l.replace(l.keys.get(rest), l.values.get(rest));
    }
    for (int r = 0; r < deltas.length; r++) {
      deltas[r] += columns;
    }
    length -= columns;
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
