package io.rge.core.qwen25vl;

import java.util.Arrays;
import java.util.List;

/**
 * Lays variable-length segments of one sequence out as a padded batch so that attention inside
 * every segment runs as one batched matrix product instead of one product per segment.
 *
 * <p>{@link #gather()} picks, for each of {@code segments × maxLength} slots, the sequence row that
 * fills it (slot padding repeats row 0 and is masked out as a key by {@link #keyMask()}); {@link
 * #scatterBack()} gives, for every sequence row, its slot, to undo the layout.
 */
final class SegmentBatch {

  private final int segments;
  private final int maxLength;
  private final long[] gather;
  private final float[] keyMask;
  private final long[] scatterBack;
  private final boolean padded;

  private SegmentBatch(
      int segments,
      int maxLength,
      long[] gather,
      float[] keyMask,
      long[] scatterBack,
      boolean padded) {
    this.segments = segments;
    this.maxLength = maxLength;
    this.gather = gather;
    this.keyMask = keyMask;
    this.scatterBack = scatterBack;
    this.padded = padded;
  }

  /**
   * @param sequenceLength rows of the sequence; the segments must tile it exactly, in order
   * @param segmentList {start, length} pairs
   */
  static SegmentBatch of(int sequenceLength, List<int[]> segmentList) {
    int s = segmentList.size();
    int max = 0;
    int expectedStart = 0;
    for (int[] seg : segmentList) {
      if (seg[0] != expectedStart || seg[1] <= 0) {
        throw new IllegalArgumentException(
            "segments must tile the sequence in order; got " + Arrays.toString(seg));
      }
      expectedStart += seg[1];
      max = Math.max(max, seg[1]);
    }
    if (expectedStart != sequenceLength) {
      throw new IllegalArgumentException(
          "segments cover " + expectedStart + " rows, sequence has " + sequenceLength);
    }
    long[] gather = new long[s * max];
    float[] mask = new float[s * max];
    long[] back = new long[sequenceLength];
    boolean padded = false;
    for (int i = 0; i < s; i++) {
      int[] seg = segmentList.get(i);
      for (int j = 0; j < max; j++) {
        int slot = i * max + j;
        if (j < seg[1]) {
          gather[slot] = seg[0] + j;
          back[seg[0] + j] = slot;
        } else {
          mask[slot] = AttentionMask.BLOCKED;
          padded = true;
        }
      }
    }
    return new SegmentBatch(s, max, gather, mask, back, padded);
  }

  int segments() {
    return segments;
  }

  int maxLength() {
    return maxLength;
  }

  long[] gather() {
    return gather;
  }

  /**
   * Additive key mask {@code [segments · maxLength]}: 0 for real rows, a large negative for
   * padding.
   */
  float[] keyMask() {
    return keyMask;
  }

  long[] scatterBack() {
    return scatterBack;
  }

  /** False when every segment has the same length, so no slot needs masking or reordering. */
  boolean isPadded() {
    return padded;
  }
}
