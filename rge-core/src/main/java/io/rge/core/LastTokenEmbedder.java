package io.rge.core;

import ai.djl.ndarray.NDManager;
import io.rge.core.generation.LengthBatches;
import io.rge.core.image.ProcessedImage;
import io.rge.core.qwen25vl.ModelInput;
import io.rge.core.qwen25vl.ModelOutput;
import io.rge.core.qwen25vl.OutputRequest;
import io.rge.core.qwen25vl.Qwen25VLModel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Embeds prepared inputs that end in {@code <emb>}: batches of similar length, one forward pass
 * each, the normalised final state at each row's last token.
 */
final class LastTokenEmbedder {
  private final Qwen25VLModel network;
  private final NDManager manager;
  private final int padId;

  LastTokenEmbedder(Qwen25VLModel network, NDManager manager, int padId) {
    this.network = network;
    this.manager = manager;
    this.padId = padId;
  }

  /** The vectors of {@code inputs}, in their order, {@code batchSize} per forward pass. */
  List<float[]> embed(List<PreparedInput> inputs, int batchSize) {
    int[] lengths = inputs.stream().mapToInt(in -> in.promptIds().length).toArray();
    float[][] out = new float[inputs.size()][];
    for (int[] batch : LengthBatches.of(lengths, batchSize)) {
      List<int[]> ids = new ArrayList<>();
      List<ProcessedImage> batchImages = new ArrayList<>();
      for (int row : batch) {
        ids.add(inputs.get(row).promptIds());
        if (inputs.get(row).image() != null) {
          batchImages.add(inputs.get(row).image());
        }
      }
      float[][] vectors = embedAtLastToken(ids, batchImages);
      for (int i = 0; i < batch.length; i++) {
        out[batch[i]] = vectors[i];
      }
    }
    return Arrays.asList(out);
  }

  /**
   * Right-pads, runs one forward pass and returns the normalised final states at each last token.
   */
  private float[][] embedAtLastToken(List<int[]> rows, List<ProcessedImage> images) {
    int b = rows.size();
    int[][] last = new int[b][];
    for (int r = 0; r < b; r++) {
      last[r] = new int[] {r, rows.get(r).length - 1};
    }
    ModelInput input = ModelInput.rightPadded(rows, padId, images);
    try (NDManager scope = manager.newSubManager()) {
      ModelOutput out = network.forward(scope, input, OutputRequest.gatherAt(last));
      float[] values = Cosine.normaliseRows(out.gathered()).toFloatArray(); // [B, H]
      int width = network.config().text().hiddenSize();
      float[][] vectors = new float[b][];
      for (int r = 0; r < b; r++) {
        vectors[r] = Arrays.copyOfRange(values, r * width, (r + 1) * width);
      }
      return vectors;
    }
  }
}
