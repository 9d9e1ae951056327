package io.rge.training.objective;

import io.rge.core.image.ProcessedImage;
import io.rge.core.prompt.PromptTokens;
import java.util.List;

/**
 * One unpadded token sequence of an objective step.
 *
 * @param ids token ids
 * @param labels null, or one label per position: the token that position {@code t} must be
 *     predicted to be (from position {@code t - 1}), {@link PromptTokens#IGNORE} where unlabelled —
 *     the Hugging Face {@code labels} convention
 * @param images the images of the sequence's {@code <|image_pad|>} blocks, in order
 */
public record TokenSequence(int[] ids, int[] labels, List<ProcessedImage> images) {

  public TokenSequence {
    ids = ids.clone();
    labels = labels == null ? null : labels.clone();
    images = List.copyOf(images);
    if (ids.length == 0) {
      throw new IllegalArgumentException("empty token sequence");
    }
    if (labels != null) {
      if (labels.length != ids.length) {
        throw new IllegalArgumentException(
            labels.length + " labels for a sequence of " + ids.length + " tokens");
      }
      if (labels[0] != PromptTokens.IGNORE) {
        throw new IllegalArgumentException(
            "the first position cannot be labelled: no position predicts it");
      }
    }
  }

  /** A sequence without labels (embedding only). */
  public static TokenSequence unlabelled(int[] ids, List<ProcessedImage> images) {
    return new TokenSequence(ids, null, images);
  }

  @Override
  public int[] ids() {
    return ids.clone();
  }

  @Override
  public int[] labels() {
    return labels == null ? null : labels.clone();
  }

  public int length() {
    return ids.length;
  }

  /** Positions {@code t} with a label (predicted from {@code t - 1}), in order. */
  int[] labelledPositions() {
    if (labels == null) {
      return new int[0];
    }
    int n = 0;
    for (int label : labels) {
      n += label == PromptTokens.IGNORE ? 0 : 1;
    }
    int[] out = new int[n];
    int k = 0;
    for (int t = 0; t < labels.length; t++) {
      if (labels[t] != PromptTokens.IGNORE) {
        out[k++] = t;
      }
    }
    return out;
  }

  int label(int position) {
    return labels[position];
  }
}
