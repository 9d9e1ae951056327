package io.rge.core.generation;

import io.rge.core.image.ProcessedImage;
import java.util.List;

/**
 * One prompt to continue: its token ids (ending where the assistant's answer starts) and the images
 * its {@code <|image_pad|>} blocks stand for, in order.
 */
public record GenerationRequest(int[] promptIds, List<ProcessedImage> images) {
  public GenerationRequest {
    promptIds = promptIds.clone();
    images = List.copyOf(images);
    if (promptIds.length == 0) {
      throw new IllegalArgumentException("empty prompt");
    }
  }

  @Override
  public int[] promptIds() {
    return promptIds.clone();
  }
}
