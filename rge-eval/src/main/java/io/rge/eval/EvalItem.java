package io.rge.eval;

import io.rge.eval.cache.EmbeddingCache;

/**
 * A text to embed, with its image path (relative to the image source) or null; the unit that is
 * deduplicated and cached.
 */
record EvalItem(String text, String imagePath) {
  String key() {
    return EmbeddingCache.key(text, imagePath);
  }
}
