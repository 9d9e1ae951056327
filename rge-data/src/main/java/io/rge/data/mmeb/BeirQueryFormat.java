package io.rge.data.mmeb;

import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Map;

/** BEIR {@code queries}: {@code query-id}, {@code query}[, {@code language}]. */
final class BeirQueryFormat implements ParquetRowFormat<VisdocQuery> {
  static final String QUERY_ID = "query-id";
  static final String QUERY = "query";
  static final String LANGUAGE = "language";

  private final String task;

  BeirQueryFormat(String task) {
    this.task = task;
  }

  @Override
  public FileBinding<VisdocQuery> bind(Path file, Map<String, String> types, boolean plainLists) {
    boolean hasLanguage = types.containsKey(LANGUAGE);
    String select =
        BeirColumns.id(file, types, QUERY_ID)
            + ", "
            + BeirColumns.text(file, types, QUERY)
            + (hasLanguage ? ", " + BeirColumns.text(file, types, LANGUAGE) : "");
    return new FileBinding<>() {
      @Override
      public String selectList() {
        return select;
      }

      @Override
      public VisdocQuery decode(ResultSet rs, long row) throws SQLException {
        String id = rs.getString(1);
        String text = rs.getString(2);
        if (id == null) {
          throw new RowFormatException(task, row, QUERY_ID, "is null");
        }
        if (text == null) {
          throw new RowFormatException(task, row, QUERY, "is null (query-id " + id + ")");
        }
        return new VisdocQuery(id, text, hasLanguage ? rs.getString(3) : null);
      }
    };
  }
}
