package io.rge.data.mmeb;

/**
 * The marker MMEB text uses where an image goes, and the rule that ties it to the image path: text
 * with an image path must contain the placeholder, and text containing the placeholder must have an
 * image path.
 */
public final class ImagePlaceholder {
  /** The placeholder string, as it appears in MMEB parquet text (Phi-3-V style). */
  public static final String TOKEN = "<|image_1|>";

  private ImagePlaceholder() {}

  /**
   * Checks one text/image-path pair of a row.
   *
   * @param imagePath the image path, or null when the row has none
   * @throws RowFormatException naming the dataset, row and column when the pair disagrees
   */
  public static void check(String dataset, long row, String column, String text, String imagePath) {
    boolean hasToken = text != null && text.contains(TOKEN);
    if (imagePath != null && !hasToken) {
      throw new RowFormatException(
          dataset,
          row,
          column,
          "has image path '" + imagePath + "' but its text does not contain " + TOKEN);
    }
    if (imagePath == null && hasToken) {
      throw new RowFormatException(
          dataset, row, column, "text contains " + TOKEN + " but the row has no image path");
    }
  }
}
