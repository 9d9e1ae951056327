package io.rge.core.qwen25vl;

import ai.djl.ndarray.NDArray;
import java.util.List;

/**
 * One trainable array of the model and the checkpoint tensors stored in it.
 *
 * <p>Projections that run together are fused into one array so that one matrix product serves them
 * (q/k/v, gate/up); {@code parts} maps the fused rows back to the Hugging Face tensors for saving
 * and for per-tensor gradient norms.
 *
 * @param name the fused array's name (equal to the single part's name when not fused)
 * @param value the array, 2-D {@code [rows, columns]} for matrices and 1-D for vectors
 * @param decay whether AdamW applies weight decay (off for norms, biases and embeddings)
 */
public record ModelWeight(String name, NDArray value, List<CheckpointPart> parts, boolean decay) {

  public ModelWeight {
    parts = List.copyOf(parts);
    if (parts.isEmpty()) {
      throw new IllegalArgumentException(name + " has no checkpoint parts");
    }
  }

  /** Section of the model the weight belongs to, for choosing what to train. */
  public boolean isVision() {
    return name.startsWith(CheckpointLayout.VISION_PREFIX);
  }
}
