package io.rge.core.qwen25vl;

import io.rge.core.image.ImageGrid;
import java.util.List;

/**
 * M-RoPE position ids for a padded batch, as transformers' {@code get_rope_index} computes them.
 *
 * <p>Text tokens advance all three components (temporal, height, width) together. An image block of
 * {@code t × h × w} merged tokens gets {@code (0, row, column)} offsets from the position where it
 * starts, and the text after it continues from the block's largest component + 1. For example, 3
 * text tokens, a 2 × 2 image and 2 more text tokens give temporal {@code 0 1 2 3 3 3 3 5 6}, height
 * {@code 0 1 2 3 3 4 4 5 6} and width {@code 0 1 2 3 4 3 4 5 6}. Padded positions (mask 0) are
 * skipped and hold 1, as in transformers. The per-row delta {@code max + 1 − paddedLength}
 * continues positions during cached decoding: the token at cache index {@code i} gets position
 * {@code i + delta} in all three components.
 */
public final class RopeIndex {
  private final int imagePadId;
  private final int visionStartId;
  private final int mergeSize;
  private final ImagePositions imagePositions;

  public RopeIndex(
      int imagePadId, int visionStartId, int mergeSize, ImagePositions imagePositions) {
    this.imagePadId = imagePadId;
    this.visionStartId = visionStartId;
    this.mergeSize = mergeSize;
    this.imagePositions = imagePositions;
  }

  public RopeIndex(Qwen25VLConfig config, ImagePositions imagePositions) {
    this(
        config.tokens().imagePad(),
        config.tokens().visionStart(),
        config.vision().spatialMergeSize(),
        imagePositions);
  }

  /**
   * @param ids {@code [B][L]} token ids, padded
   * @param mask {@code [B][L]} 1 for real tokens, 0 for padding
   * @param grids the images of the batch in order of appearance (row by row)
   */
  public RopePositions compute(int[][] ids, int[][] mask, List<ImageGrid> grids) {
    int batch = ids.length;
    int length = batch == 0 ? 0 : ids[0].length;
    int[][][] positions = new int[3][batch][length];
    long[] deltas = new long[batch];
    int imageIndex = 0;
    for (int b = 0; b < batch; b++) {
      int[] valid = new int[length];
      int n = 0;
      for (int i = 0; i < length; i++) {
        if (mask[b][i] != 0) {
          valid[n++] = i;
        }
      }
      int[][] rowPos = new int[3][n];
      int st = 0;
      int next = 0; // the value the next text token starts from (max + 1 so far)
      int cursor = 0;
      while (cursor < n) {
        int id = ids[b][valid[cursor]];
        boolean imageStart =
            imagePositions == ImagePositions.GRID
                && id == imagePadId
                && cursor > 0
                && ids[b][valid[cursor - 1]] == visionStartId;
        if (!imageStart) {
          cursor++;
          continue;
        }
        if (imageIndex >= grids.size()) {
          throw new IllegalArgumentException(
              "row " + b + " has more images than the " + grids.size() + " grids given");
        }
        ImageGrid g = grids.get(imageIndex++);
        int lh = g.h() / mergeSize;
        int lw = g.w() / mergeSize;
        int blockTokens = g.t() * lh * lw;
        textPositions(rowPos, st, cursor, next);
        int base = next + (cursor - st);
        int max = base;
        int k = cursor;
        for (int t = 0; t < g.t(); t++) {
          for (int y = 0; y < lh; y++) {
            for (int x = 0; x < lw; x++) {
              if (k >= n) {
                throw new IllegalArgumentException(
                    "row " + b + ": image block of " + blockTokens + " tokens runs past the end");
              }
              // Still images have temporal offset 0 (second_per_grid_t = 0 in transformers).
              rowPos[0][k] = base;
              rowPos[1][k] = base + y;
              rowPos[2][k] = base + x;
              max = Math.max(max, Math.max(base + y, base + x));
              k++;
            }
          }
        }
        next = max + 1;
        st = cursor + blockTokens;
        cursor = st;
      }
      textPositions(rowPos, st, n, next);
      int rowMax = 0;
      for (int d = 0; d < 3; d++) {
        java.util.Arrays.fill(positions[d][b], 1);
        for (int i = 0; i < n; i++) {
          positions[d][b][valid[i]] = rowPos[d][i];
          rowMax = Math.max(rowMax, rowPos[d][i]);
        }
      }
      deltas[b] = (n == 0 ? 0 : rowMax + 1) - (long) length;
    }
    if (imagePositions == ImagePositions.GRID && imageIndex != grids.size()) {
      throw new IllegalArgumentException(
          "the batch has "
              + imageIndex
              + " image blocks but "
              + grids.size()
              + " grids were given");
    }
    return new RopePositions(positions, deltas);
  }

  /**
   * Text tokens {@code from..to-1} (indices among a row's real tokens) advance all three components
   * together, starting at {@code start}.
   */
  private static void textPositions(int[][] rowPos, int from, int to, int start) {
    for (int i = from; i < to; i++) {
      int p = start + (i - from);
      rowPos[0][i] = p;
      rowPos[1][i] = p;
      rowPos[2][i] = p;
    }
  }

  /** Positions {@code [3][B][L]} and per-row decoding deltas {@code [B]}. */
  public record RopePositions(int[][][] positions, long[] deltas) {}
}
