package io.rge.core;

import io.rge.core.prompt.QwenChatPrompts;
import java.awt.image.BufferedImage;

/**
 * A query or candidate: text, optionally with one image. MMEB texts mark the image's place with
 * {@code <|image_1|>}; when an image is given and the text has no placeholder, the image goes
 * first.
 *
 * @param text the instruction and text
 * @param image the image, or null
 */
public record MultimodalInput(String text, BufferedImage image) {
  public MultimodalInput {
    if (text == null) {
      throw new IllegalArgumentException("text is required (use \"\" for an image alone)");
    }
  }

  public static MultimodalInput text(String text) {
    return new MultimodalInput(text, null);
  }

  /** The user text for the prompt: with {@code <|image_1|>} first when an image has none. */
  public String promptText() {
    return promptText(text, image != null);
  }

  /** {@link #promptText()} of {@code text} with an image or without. */
  static String promptText(String text, boolean withImage) {
    if (withImage && !text.contains(QwenChatPrompts.IMAGE_PLACEHOLDER)) {
      return QwenChatPrompts.IMAGE_PLACEHOLDER + text;
    }
    return text;
  }
}
