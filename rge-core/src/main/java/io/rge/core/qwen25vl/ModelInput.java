package io.rge.core.qwen25vl;

import io.rge.core.image.ProcessedImage;
import java.util.Arrays;
import java.util.List;

/**
 * A padded batch of token sequences and the images their {@code <|image_pad|>} blocks stand for.
 *
 * @param ids {@code [B][L]} token ids; padding may be on either side
 * @param mask {@code [B][L]} 1 for real tokens, 0 for padding
 * @param images the images of all rows, in order of appearance (row by row)
 */
public record ModelInput(int[][] ids, int[][] mask, List<ProcessedImage> images) {

  public ModelInput {
    images = List.copyOf(images);
    if (ids.length == 0) {
      throw new IllegalArgumentException("empty batch");
    }
    if (ids.length != mask.length) {
      throw new IllegalArgumentException(
          "ids have " + ids.length + " rows but the mask has " + mask.length);
    }
    int l = ids[0].length;
    for (int i = 0; i < ids.length; i++) {
      if (ids[i].length != l || mask[i].length != l) {
        throw new IllegalArgumentException(
            "row " + i + " is not padded to the batch length " + l + " (ids and mask)");
      }
    }
  }

  public int batchSize() {
    return ids.length;
  }

  public int length() {
    return ids[0].length;
  }

  /** One unpadded sequence. */
  public static ModelInput single(int[] ids, List<ProcessedImage> images) {
    int[] mask = new int[ids.length];
    Arrays.fill(mask, 1);
    return new ModelInput(new int[][] {ids}, new int[][] {mask}, images);
  }

  /** Sequences of different lengths right-padded with {@code padId} into one batch. */
  public static ModelInput rightPadded(List<int[]> rows, int padId, List<ProcessedImage> images) {
    return padded(rows, padId, images, false);
  }

  /**
   * Sequences of different lengths left-padded with {@code padId} into one batch, so that every
   * row's next token goes to the same column (what cached generation needs).
   */
  public static ModelInput leftPadded(List<int[]> rows, int padId, List<ProcessedImage> images) {
    return padded(rows, padId, images, true);
  }

  private static ModelInput padded(
      List<int[]> rows, int padId, List<ProcessedImage> images, boolean left) {
    int length = rows.stream().mapToInt(r -> r.length).max().orElseThrow();
    int[][] ids = new int[rows.size()][length];
    int[][] mask = new int[rows.size()][length];
    for (int r = 0; r < rows.size(); r++) {
      int[] row = rows.get(r);
      int start = left ? length - row.length : 0;
      Arrays.fill(ids[r], padId);
      System.arraycopy(row, 0, ids[r], start, row.length);
      Arrays.fill(mask[r], start, start + row.length, 1);
    }
    return new ModelInput(ids, mask, images);
  }
}
