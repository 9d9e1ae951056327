package io.rge.core.generation;

import io.rge.core.image.ProcessedImage;
import java.util.List;

/**
 * One prompt to continue: its token ids (ending where the assistant's answer starts), the images
 * its {@code <|image_pad|>} blocks stand for, in order, and optionally a token limit of its own.
 *
 * @param tokenLimit the most tokens this prompt may write before {@code <emb>} is appended, below
 *     the settings' limit; -1 for the settings' limit alone
 */
public record GenerationRequest(int[] promptIds, List<ProcessedImage> images, int tokenLimit) {
  public GenerationRequest {
    promptIds = promptIds.clone();
    images = List.copyOf(images);
    if (promptIds.length == 0) {
      throw new IllegalArgumentException("empty prompt");
    }
    if (tokenLimit < -1) {
      throw new IllegalArgumentException("token limit must be >= 0 (or -1), got " + tokenLimit);
    }
  }

  /** A prompt limited by the generation settings alone. */
  public GenerationRequest(int[] promptIds, List<ProcessedImage> images) {
    this(promptIds, images, -1);
  }

  @Override
  public int[] promptIds() {
    return promptIds.clone();
  }

  /** This prompt's limit under {@code settingsLimit}. */
  int limit(int settingsLimit) {
    return tokenLimit < 0 ? settingsLimit : Math.min(tokenLimit, settingsLimit);
  }
}
