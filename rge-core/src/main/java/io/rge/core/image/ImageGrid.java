package io.rge.core.image;

/**
 * The patch grid of one processed image, as transformers' {@code image_grid_thw}: {@code t}
 * temporal patches (1 for a still image), {@code h} × {@code w} spatial patches of 14 × 14 pixels.
 */
public record ImageGrid(int t, int h, int w) {

  public ImageGrid {
    if (t <= 0 || h <= 0 || w <= 0) {
      throw new IllegalArgumentException(
          "image grid must be positive, got t=" + t + " h=" + h + " w=" + w);
    }
  }

  /** Number of patches, the first dimension of {@code pixel_values}. */
  public int patches() {
    return t * h * w;
  }

  /**
   * Number of {@code <|image_pad|>} tokens the image takes in a prompt: patches after the vision
   * merger fuses each {@code mergeSize × mergeSize} window into one token.
   */
  public int tokens(int mergeSize) {
    int window = mergeSize * mergeSize;
    if (mergeSize <= 0 || h % mergeSize != 0 || w % mergeSize != 0) {
      throw new IllegalArgumentException(
          "grid " + h + "x" + w + " is not divisible by merge size " + mergeSize);
    }
    return patches() / window;
  }
}
