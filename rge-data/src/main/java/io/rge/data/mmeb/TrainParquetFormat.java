package io.rge.data.mmeb;

import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Map;

/**
 * MMEB-train columns: qry, qry_image_path, pos_text, pos_image_path (string) and, for subsets with
 * hard negatives, neg_text and neg_image_path. A row whose neg_text and neg_image_path are both
 * empty has no hard negative.
 */
final class TrainParquetFormat implements ParquetRowFormat<TrainRow> {
  static final String QRY = "qry";
  static final String QRY_IMAGE_PATH = "qry_image_path";
  static final String POS_TEXT = "pos_text";
  static final String POS_IMAGE_PATH = "pos_image_path";
  static final String NEG_TEXT = "neg_text";
  static final String NEG_IMAGE_PATH = "neg_image_path";

  private final String subset;
  private final String split;
  private final boolean checkPlaceholders;
  // Names the rows in error messages.
  private final String where;

  TrainParquetFormat(String subset, String split, boolean checkPlaceholders) {
    this.subset = subset;
    this.split = split;
    this.where = subset + "/" + split;
    this.checkPlaceholders = checkPlaceholders;
  }

  @Override
  public FileBinding<TrainRow> bind(Path file, Map<String, String> types, boolean plainLists) {
    ParquetColumns.require(file, types, QRY, ParquetColumns.STRING);
    ParquetColumns.require(file, types, QRY_IMAGE_PATH, ParquetColumns.STRING);
    ParquetColumns.require(file, types, POS_TEXT, ParquetColumns.STRING);
    ParquetColumns.require(file, types, POS_IMAGE_PATH, ParquetColumns.STRING);
    boolean negText = ParquetColumns.optional(file, types, NEG_TEXT, ParquetColumns.STRING);
    boolean negImage = ParquetColumns.optional(file, types, NEG_IMAGE_PATH, ParquetColumns.STRING);
    if (negText != negImage) {
      throw new ParquetSchemaException(
          file,
          "has only one of '"
              + NEG_TEXT
              + "' and '"
              + NEG_IMAGE_PATH
              + "'; hard negatives need both columns");
    }
    String columns = String.join(", ", QRY, QRY_IMAGE_PATH, POS_TEXT, POS_IMAGE_PATH);
    String select = negText ? columns + ", " + NEG_TEXT + ", " + NEG_IMAGE_PATH : columns;
    return new FileBinding<>() {
      @Override
      public String selectList() {
        return select;
      }

      @Override
      public TrainRow decode(ResultSet rs, long row) throws SQLException {
        return toRow(
            row,
            rs.getString(1),
            rs.getString(2),
            rs.getString(3),
            rs.getString(4),
            negText ? rs.getString(5) : null,
            negText ? rs.getString(6) : null);
      }
    };
  }

  private TrainRow toRow(
      long row,
      String qry,
      String rawQryImage,
      String posText,
      String rawPosImage,
      String rawNegText,
      String rawNegImage) {
    if (qry == null) {
      throw new RowFormatException(where, row, QRY, "is null");
    }
    if (posText == null) {
      throw new RowFormatException(where, row, POS_TEXT, "is null");
    }
    String qryImage = ParquetColumns.imagePath(rawQryImage);
    String posImage = ParquetColumns.imagePath(rawPosImage);
    String negImage = ParquetColumns.imagePath(rawNegImage);
    boolean hasNegative = (rawNegText != null && !rawNegText.isEmpty()) || negImage != null;
    String negText = hasNegative ? (rawNegText == null ? "" : rawNegText) : null;
    if (checkPlaceholders) {
      ImagePlaceholder.check(where, row, QRY, qry, qryImage);
      ImagePlaceholder.check(where, row, POS_TEXT, posText, posImage);
      if (hasNegative) {
        ImagePlaceholder.check(where, row, NEG_TEXT, negText, negImage);
      }
    }
    return new TrainRow(
        subset, split, row, qry, qryImage, posText, posImage, negText, negImage, null);
  }
}
