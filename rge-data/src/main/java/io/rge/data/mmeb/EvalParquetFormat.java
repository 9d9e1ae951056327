package io.rge.data.mmeb;

import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;

/** MMEB-eval columns: qry_text, qry_img_path (string), tgt_text, tgt_img_path (list of string). */
final class EvalParquetFormat implements ParquetRowFormat<EvalRow> {
  static final String QRY_TEXT = "qry_text";
  static final String QRY_IMG_PATH = "qry_img_path";
  static final String TGT_TEXT = "tgt_text";
  static final String TGT_IMG_PATH = "tgt_img_path";

  private final String dataset;
  private final boolean checkPlaceholders;

  EvalParquetFormat(String dataset, boolean checkPlaceholders) {
    this.dataset = dataset;
    this.checkPlaceholders = checkPlaceholders;
  }

  @Override
  public FileBinding<EvalRow> bind(Path file, Map<String, String> types, boolean plainLists) {
    ParquetColumns.require(file, types, QRY_TEXT, ParquetColumns.STRING);
    ParquetColumns.require(file, types, QRY_IMG_PATH, ParquetColumns.STRING);
    ParquetColumns.require(file, types, TGT_TEXT, ParquetColumns.STRING_LIST);
    ParquetColumns.require(file, types, TGT_IMG_PATH, ParquetColumns.STRING_LIST);
    if (plainLists) {
      return new FileBinding<>() {
        @Override
        public String selectList() {
          return String.join(", ", QRY_TEXT, QRY_IMG_PATH, TGT_TEXT, TGT_IMG_PATH);
        }

        @Override
        public EvalRow decode(ResultSet rs, long row) throws SQLException {
          return toRow(
              row,
              rs.getString(1),
              rs.getString(2),
              ParquetColumns.stringList(rs, 3),
              ParquetColumns.stringList(rs, 4));
        }
      };
    }
    return new FileBinding<>() {
      @Override
      public String selectList() {
        return String.join(
            ", ",
            QRY_TEXT,
            QRY_IMG_PATH,
            JoinedLists.select(TGT_TEXT),
            JoinedLists.select(TGT_IMG_PATH));
      }

      @Override
      public EvalRow decode(ResultSet rs, long row) throws SQLException {
        return toRow(
            row,
            rs.getString(1),
            rs.getString(2),
            JoinedLists.read(rs, 3),
            JoinedLists.read(rs, 6));
      }
    };
  }

  private EvalRow toRow(
      long row, String qryText, String rawQryImage, List<String> texts, List<String> rawImages) {
    if (qryText == null) {
      throw new RowFormatException(dataset, row, QRY_TEXT, "is null");
    }
    if (texts == null || texts.isEmpty()) {
      throw new RowFormatException(dataset, row, TGT_TEXT, "has no candidates");
    }
    if (rawImages == null || rawImages.size() != texts.size()) {
      throw new RowFormatException(
          dataset,
          row,
          TGT_IMG_PATH,
          "has "
              + (rawImages == null ? "no" : rawImages.size())
              + " entries but "
              + TGT_TEXT
              + " has "
              + texts.size());
    }
    String qryImage = ParquetColumns.imagePath(rawQryImage);
    for (int i = 0; i < texts.size(); i++) {
      if (texts.get(i) == null) {
        throw new RowFormatException(dataset, row, TGT_TEXT + "[" + i + "]", "is null");
      }
      rawImages.set(i, ParquetColumns.imagePath(rawImages.get(i)));
    }
    if (checkPlaceholders) {
      ImagePlaceholder.check(dataset, row, QRY_TEXT, qryText, qryImage);
      for (int i = 0; i < texts.size(); i++) {
        ImagePlaceholder.check(dataset, row, TGT_TEXT, i, texts.get(i), rawImages.get(i));
      }
    }
    return new EvalRow(dataset, row, qryText, qryImage, texts, rawImages);
  }
}
