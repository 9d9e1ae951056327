package io.rge.training.objective;

import io.rge.core.image.ProcessedImage;
import io.rge.core.qwen25vl.ModelInput;
import java.util.ArrayList;
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
    return ModelInput.rightPadded(rows, padId, images);
  }
}
