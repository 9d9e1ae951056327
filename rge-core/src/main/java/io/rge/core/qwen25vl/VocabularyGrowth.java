package io.rge.core.qwen25vl;

/**
 * What growing the vocabulary did: embedding rows (and untied head rows) went from {@code oldSize}
 * to {@code newSize}, the new rows set to the mean of the existing ones. Equal sizes mean nothing
 * was needed.
 */
public record VocabularyGrowth(int oldSize, int newSize) {
  public VocabularyGrowth {
    if (oldSize <= 0 || newSize < oldSize) {
      throw new IllegalArgumentException(
          "vocabulary cannot go from " + oldSize + " to " + newSize + " rows");
    }
  }

  public boolean grew() {
    return newSize > oldSize;
  }
}
