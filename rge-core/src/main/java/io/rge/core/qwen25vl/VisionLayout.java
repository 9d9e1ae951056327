package io.rge.core.qwen25vl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.rge.core.image.ImageGrid;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Where each patch of a batch of images goes inside the vision tower, computed on the host once per
 * batch (transformers' {@code rot_pos_emb} and {@code get_window_index}).
 *
 * <p>Patches arrive in Qwen's order: 2 × 2 merge groups of {@code merge²} consecutive patches. The
 * tower regroups the merge groups window by window ({@link #windowOrder()}: windows of {@code
 * windowUnits × windowUnits} merge groups, row-major, partial windows at the right and bottom
 * edges), runs window attention inside {@link #windowSegments()} and full attention inside {@link
 * #imageSegments()} (one segment per image frame, so images never attend to each other), and
 * restores the original order after the merger.
 *
 * <p>Attention inside segments of different lengths runs as one batched product: {@link
 * #windowAttention} and {@link #imageAttention} lay the sequence out as a padded {@code [segments,
 * maxLength]} batch ({@link Segments}).
 */
public final class VisionLayout {
  private final int patches;
  private final int[] windowOrder;
  private final int[] rowPositions;
  private final int[] columnPositions;
  private final List<int[]> windowSegments;
  private final List<int[]> imageSegments;

  private VisionLayout(
      int patches,
      int[] windowOrder,
      int[] rowPositions,
      int[] columnPositions,
      List<int[]> windowSegments,
      List<int[]> imageSegments) {
    this.patches = patches;
    this.windowOrder = windowOrder;
    this.rowPositions = rowPositions;
    this.columnPositions = columnPositions;
    this.windowSegments = windowSegments;
    this.imageSegments = imageSegments;
  }

  public static VisionLayout of(List<ImageGrid> grids, VisionConfig config) {
    int merge = config.spatialMergeSize();
    int unit = merge * merge;
    int ws = config.windowUnits();
    int total = 0;
    for (ImageGrid g : grids) {
      if (g.h() % merge != 0 || g.w() % merge != 0) {
        throw new IllegalArgumentException(
            "image grid " + g + " is not divisible by spatial_merge_size " + merge);
      }
      total += g.patches();
    }
    int[] rows = new int[total];
    int[] cols = new int[total];
    List<Integer> order = new ArrayList<>();
    List<int[]> windows = new ArrayList<>();
    List<int[]> frames = new ArrayList<>();
    int patchBase = 0;
    int unitBase = 0;
    for (ImageGrid g : grids) {
      int lh = g.h() / merge;
      int lw = g.w() / merge;
      // rot_pos_emb: the (row, column) of every patch, in Qwen's merge-group order.
      int k = patchBase;
      for (int t = 0; t < g.t(); t++) {
        for (int by = 0; by < lh; by++) {
          for (int bx = 0; bx < lw; bx++) {
            for (int dy = 0; dy < merge; dy++) {
              for (int dx = 0; dx < merge; dx++) {
                rows[k] = by * merge + dy;
                cols[k] = bx * merge + dx;
                k++;
              }
            }
          }
        }
        frames.add(new int[] {patchBase + t * g.h() * g.w(), g.h() * g.w()});
      }
      // get_window_index: windows of ws × ws merge groups, partial ones at the edges.
      int windowsH = (lh + ws - 1) / ws;
      int windowsW = (lw + ws - 1) / ws;
      int segmentStart = patchBase;
      for (int t = 0; t < g.t(); t++) {
        for (int wy = 0; wy < windowsH; wy++) {
          for (int wx = 0; wx < windowsW; wx++) {
            int count = 0;
            for (int y = wy * ws; y < Math.min(lh, (wy + 1) * ws); y++) {
              for (int x = wx * ws; x < Math.min(lw, (wx + 1) * ws); x++) {
                order.add(unitBase + t * lh * lw + y * lw + x);
                count++;
              }
            }
            windows.add(new int[] {segmentStart, count * unit});
            segmentStart += count * unit;
          }
        }
      }
      patchBase += g.patches();
      unitBase += g.t() * lh * lw;
    }
    int[] windowOrder = order.stream().mapToInt(Integer::intValue).toArray();
    return new VisionLayout(total, windowOrder, rows, cols, windows, frames);
  }

  public int patches() {
    return patches;
  }

  /** Merge-group indices in window order ({@code window_index}). */
  public int[] windowOrder() {
    return windowOrder.clone();
  }

  /** The inverse of {@link #windowOrder()} ({@code argsort(window_index)}). */
  public int[] inverseWindowOrder() {
    int[] inverse = new int[windowOrder.length];
    for (int i = 0; i < windowOrder.length; i++) {
      inverse[windowOrder[i]] = i;
    }
    return inverse;
  }

  /** Patch indices in window order: each merge group's patches, groups in window order. */
  public long[] patchWindowOrder(int unit) {
    long[] out = new long[patches];
    for (int i = 0; i < windowOrder.length; i++) {
      for (int j = 0; j < unit; j++) {
        out[i * unit + j] = (long) windowOrder[i] * unit + j;
      }
    }
    return out;
  }

  /** Row of each patch inside its image, in input order. */
  public int[] rowPositions() {
    return rowPositions.clone();
  }

  /** Column of each patch inside its image, in input order. */
  public int[] columnPositions() {
    return columnPositions.clone();
  }

  /** {start, length} of each attention window over the window-ordered patch sequence. */
  public List<int[]> windowSegments() {
    return windowSegments;
  }

  /** {start, length} of each image frame (full attention) over the window-ordered sequence. */
  public List<int[]> imageSegments() {
    return imageSegments;
  }

  /** The attention windows as device arrays in {@code scope}. */
  Segments windowAttention(NDManager scope) {
    return segments(scope, windowSegments);
  }

  /** The image frames (full attention) as device arrays in {@code scope}. */
  Segments imageAttention(NDManager scope) {
    return segments(scope, imageSegments);
  }

  /**
   * Variable-length segments of the window-ordered sequence laid out as a padded batch.
   *
   * @param count segments S
   * @param maxLength the longest segment M
   * @param gather for each of the {@code S·M} slots, the sequence row that fills it (padding slots
   *     repeat row 0); null when every segment has the same length (a reshape lays them out)
   * @param scatterBack for every sequence row, its slot (undoes the layout); null like {@code
   *     gather}
   * @param keyMask additive {@code [S, 1, 1, M]}: 0 for real rows, a large negative for padding
   *     keys; null like {@code gather}
   */
  record Segments(int count, int maxLength, NDArray gather, NDArray scatterBack, NDArray keyMask) {}

  private Segments segments(NDManager scope, List<int[]> segmentList) {
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
    if (expectedStart != patches) {
      throw new IllegalArgumentException(
          "segments cover " + expectedStart + " rows, sequence has " + patches);
    }
    long[] gather = new long[s * max];
    float[] mask = new float[s * max];
    long[] back = new long[patches];
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
    if (!padded) {
      // Equal segments are already contiguous: a reshape lays them out, nothing to mask.
      return new Segments(s, max, null, null, null);
    }
    return new Segments(
        s,
        max,
        scope.create(gather),
        scope.create(back),
        scope.create(mask, new Shape(s, 1, 1, max)));
  }
}
