package io.rge.core.qwen25vl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/**
 * A {@link SegmentBatch} as device arrays for one forward pass: index arrays to lay the sequence
 * out as {@code [segments, maxLength]} and back, and the additive key mask {@code [segments, 1, 1,
 * maxLength]}.
 */
final class AttentionSegments {
  final int segments;
  final int maxLength;
  final NDArray gather;
  final NDArray scatterBack;
  final NDArray keyMask;

  AttentionSegments(NDManager manager, SegmentBatch batch) {
    this.segments = batch.segments();
    this.maxLength = batch.maxLength();
    if (batch.isPadded()) {
      this.gather = manager.create(batch.gather());
      this.scatterBack = manager.create(batch.scatterBack());
      this.keyMask = manager.create(batch.keyMask(), new Shape(segments, 1, 1, maxLength));
    } else {
      // Equal segments are already contiguous: a reshape lays them out, nothing to mask.
      this.gather = null;
      this.scatterBack = null;
      this.keyMask = null;
    }
  }
}
