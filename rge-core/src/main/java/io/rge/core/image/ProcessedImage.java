package io.rge.core.image;

/**
 * One image ready for the vision tower: transformers' {@code pixel_values} and {@code
 * image_grid_thw} for a single image.
 *
 * @param pixelValues {@code [grid.patches(), 3 · temporalPatch · patch · patch]} float32,
 *     row-major; rows in Qwen's patch order (2 × 2 merge windows together), each row laid out as
 *     {@code [channel, temporal, y, x]}
 * @param grid the patch grid
 * @param patchVectorSize the row length (1176 for Qwen2.5-VL)
 */
public record ProcessedImage(float[] pixelValues, ImageGrid grid, int patchVectorSize) {

  public ProcessedImage {
    if ((long) grid.patches() * patchVectorSize != pixelValues.length) {
      throw new IllegalArgumentException(
          "pixel values hold "
              + pixelValues.length
              + " floats, expected "
              + grid.patches()
              + " x "
              + patchVectorSize);
    }
  }
}
