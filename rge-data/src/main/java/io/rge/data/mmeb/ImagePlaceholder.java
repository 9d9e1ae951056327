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
    String problem = problem(text, imagePath);
    if (problem != null) {
      throw new RowFormatException(dataset, row, column, problem);
    }
  }

  /**
   * Checks the candidate at {@code index} of a list column; the column is named "column[index]" in
   * the error.
   *
   * @throws RowFormatException when the pair disagrees
   */
  public static void check(
      String dataset, long row, String column, int index, String text, String imagePath) {
    String problem = problem(text, imagePath);
    if (problem != null) {
      throw new RowFormatException(dataset, row, column + "[" + index + "]", problem);
    }
  }

  /** What is wrong with the pair, or null when text and image path agree. */
  private static String problem(String text, String imagePath) {
    boolean hasToken = text != null && text.contains(TOKEN);
    if (imagePath != null && !hasToken) {
      return "has image path '" + imagePath + "' but its text does not contain " + TOKEN;
    }
    if (imagePath == null && hasToken) {
      return "text contains " + TOKEN + " but the row has no image path";
    }
    return null;
  }
}
