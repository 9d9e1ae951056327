package io.rge.eval;

import io.rge.core.MultimodalInput;
import io.rge.data.images.ImageStore;
import io.rge.eval.cache.EmbeddingCache;
import java.io.Serializable;

/**
 * A text to embed, with its image path (relative to the image source) or null; the unit that is
 * deduplicated and cached. Serializable: distributed evaluation ships items to its executors.
 */
public record EvalItem(String text, String imagePath) implements Serializable {
  /** The item's key in an {@link EmbeddingCache}. */
  public String key() {
    return EmbeddingCache.key(text, imagePath);
  }

  /**
   * The model input: the text, with its image loaded from {@code images}; {@code label} names the
   * dataset side in errors.
   */
  public MultimodalInput input(ImageStore images, String label) {
    return EmbeddingPass.input(this, images, label);
  }
}
