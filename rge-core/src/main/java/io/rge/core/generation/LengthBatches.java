package io.rge.core.generation;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * Batches of rows of similar length, so that padding costs little: row indices sorted by length
 * (stable: equal lengths keep their input order), cut into consecutive batches.
 */
public final class LengthBatches {
  private LengthBatches() {}

  /**
   * @param lengths each row's length
   * @return the indices of each batch's rows, shortest batch first, at most {@code batchSize} each
   */
  public static List<int[]> of(int[] lengths, int batchSize) {
    if (batchSize <= 0) {
      throw new IllegalArgumentException("batch size must be > 0, got " + batchSize);
    }
    Integer[] order = new Integer[lengths.length];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    Arrays.sort(order, Comparator.comparingInt(i -> lengths[i]));
    List<int[]> batches = new ArrayList<>();
    for (int start = 0; start < order.length; start += batchSize) {
      int end = Math.min(order.length, start + batchSize);
      int[] batch = new int[end - start];
      for (int i = start; i < end; i++) {
        batch[i - start] = order[i];
      }
      batches.add(batch);
    }
    return batches;
  }
}
