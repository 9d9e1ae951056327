package io.rge.data.images;

/**
 * An image whose header declares more pixels than the limit (a decompression bomb, or simply too
 * big).
 */
public final class ImageTooLargeException extends ImageDecodeException {
  private static final long serialVersionUID = 1L;

  public ImageTooLargeException(String path, int width, int height, long limit) {
    super(
        "image '"
            + path
            + "' is "
            + width
            + "x"
            + height
            + " = "
            + ((long) width * height)
            + " pixels, over the limit of "
            + limit
            + " (ImageLimits.maxPixels); refusing to decode it");
  }
}
