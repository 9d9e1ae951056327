package io.rge.data.mmeb;

import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Map;

/** BEIR {@code qrels}: {@code query-id}, {@code corpus-id} (string or integer), {@code score}. */
final class BeirQrelFormat implements ParquetRowFormat<QrelRow> {
  static final String QUERY_ID = "query-id";
  static final String CORPUS_ID = "corpus-id";
  static final String SCORE = "score";

  private final String task;

  BeirQrelFormat(String task) {
    this.task = task;
  }

  @Override
  public FileBinding<QrelRow> bind(Path file, Map<String, String> types, boolean plainLists) {
    String select =
        String.join(
            ", ",
            BeirColumns.id(file, types, QUERY_ID),
            BeirColumns.id(file, types, CORPUS_ID),
            BeirColumns.grade(file, types, SCORE));
    return new FileBinding<>() {
      @Override
      public String selectList() {
        return select;
      }

      @Override
      public QrelRow decode(ResultSet rs, long row) throws SQLException {
        String query = rs.getString(1);
        String corpus = rs.getString(2);
        double score = rs.getDouble(3);
        if (query == null) {
          throw new RowFormatException(task, row, QUERY_ID, "is null");
        }
        if (corpus == null) {
          throw new RowFormatException(task, row, CORPUS_ID, "is null");
        }
        if (rs.wasNull() || Double.isNaN(score)) {
          throw new RowFormatException(task, row, SCORE, "is null or NaN");
        }
        return new QrelRow(query, corpus, score);
      }
    };
  }
}
