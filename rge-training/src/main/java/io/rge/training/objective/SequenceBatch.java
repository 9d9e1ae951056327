package io.rge.training.objective;

import io.rge.core.image.ProcessedImage;
import io.rge.core.qwen25vl.ModelInput;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Token sequences (with their images) collected for one right-padded forward pass. */
final class SequenceBatch {
  private final List<int[]> rows = new ArrayList<>();
  private final List<ProcessedImage> images = new ArrayList<>();

  /** Adds a sequence and returns its row index. */
  int add(int[] ids, List<ProcessedImage> sequenceImages) {
    rows.add(ids);
    images.addAll(sequenceImages);
    return rows.size() - 1;
  }

  ModelInput toInput(int padId) {
    int length = rows.stream().mapToInt(r -> r.length).max().orElseThrow();
    int[][] ids = new int[rows.size()][length];
    int[][] mask = new int[rows.size()][length];
    for (int r = 0; r < rows.size(); r++) {
      int[] row = rows.get(r);
      Arrays.fill(ids[r], padId);
      System.arraycopy(row, 0, ids[r], 0, row.length);
      Arrays.fill(mask[r], 0, row.length, 1);
    }
    return new ModelInput(ids, mask, images);
  }
}
