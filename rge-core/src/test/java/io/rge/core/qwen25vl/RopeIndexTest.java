package io.rge.core.qwen25vl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.rge.core.image.ImageGrid;
import java.util.List;
import org.junit.jupiter.api.Test;

/** M-RoPE positions against values worked out by hand from transformers' get_rope_index. */
class RopeIndexTest {
  private static final int VISION_START = 10;
  private static final int PAD = 11;
  private final RopeIndex grid = new RopeIndex(PAD, VISION_START, 2, ImagePositions.GRID);

  /** 2 text tokens, vision start, a 2 × 2 merged image (4 × 4 patches), 2 more text tokens. */
  private static final int[] ROW = {5, 6, VISION_START, PAD, PAD, PAD, PAD, 7, 8};

  @Test
  void textAroundAnImageBlock() {
    RopeIndex.RopePositions p =
        grid.compute(new int[][] {ROW}, new int[][] {ones(9)}, List.of(new ImageGrid(1, 4, 4)));
    assertArrayEquals(new int[] {0, 1, 2, 3, 3, 3, 3, 5, 6}, p.positions()[0][0]);
    assertArrayEquals(new int[] {0, 1, 2, 3, 3, 4, 4, 5, 6}, p.positions()[1][0]);
    assertArrayEquals(new int[] {0, 1, 2, 3, 4, 3, 4, 5, 6}, p.positions()[2][0]);
    assertArrayEquals(new long[] {7 - 9}, p.deltas()); // max 6 + 1 − length 9
  }

  @Test
  void leftPaddingHoldsOneAndShiftsTheDelta() {
    int[] padded = new int[11];
    System.arraycopy(ROW, 0, padded, 2, 9);
    int[] mask = ones(11);
    mask[0] = 0;
    mask[1] = 0;
    int[][] text = {{1, 2, 3}};
    RopeIndex.RopePositions p =
        grid.compute(
            new int[][] {padded, padded}, new int[][] {mask, mask}, List.of(grid(), grid()));
    assertArrayEquals(new int[] {1, 1, 0, 1, 2, 3, 3, 3, 3, 5, 6}, p.positions()[0][1]);
    assertArrayEquals(new int[] {1, 1, 0, 1, 2, 3, 4, 3, 4, 5, 6}, p.positions()[2][0]);
    assertArrayEquals(new long[] {7 - 11, 7 - 11}, p.deltas());

    RopeIndex.RopePositions t = grid.compute(text, new int[][] {ones(3)}, List.of());
    for (int d = 0; d < 3; d++) {
      assertArrayEquals(new int[] {0, 1, 2}, t.positions()[d][0]);
    }
    assertArrayEquals(new long[] {0}, t.deltas());
  }

  @Test
  void sequentialPositionsNumberImageTokensLikeText() {
    RopeIndex sequential = new RopeIndex(PAD, VISION_START, 2, ImagePositions.SEQUENTIAL);
    RopeIndex.RopePositions p =
        sequential.compute(new int[][] {ROW}, new int[][] {ones(9)}, List.of(grid()));
    for (int d = 0; d < 3; d++) {
      assertArrayEquals(new int[] {0, 1, 2, 3, 4, 5, 6, 7, 8}, p.positions()[d][0]);
    }
  }

  @Test
  void imagesAndGridsMustMatch() {
    assertThrows(
        IllegalArgumentException.class,
        () -> grid.compute(new int[][] {ROW}, new int[][] {ones(9)}, List.of()));
    assertThrows(
        IllegalArgumentException.class,
        () -> grid.compute(new int[][] {ROW}, new int[][] {ones(9)}, List.of(grid(), grid())));
  }

  private static ImageGrid grid() {
    return new ImageGrid(1, 4, 4);
  }

  private static int[] ones(int n) {
    int[] out = new int[n];
    java.util.Arrays.fill(out, 1);
    return out;
  }
}
