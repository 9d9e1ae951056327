package io.rge.data.mmeb;

import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Map;

/**
 * BEIR {@code corpus}: {@code corpus-id} and {@code image}, the {@code {bytes, path}} struct. With
 * {@code idsOnly} the image column is not read at all (counting and checking ids stays cheap).
 */
final class BeirCorpusFormat implements ParquetRowFormat<CorpusPage> {
  static final String CORPUS_ID = "corpus-id";
  static final String IMAGE = "image";

  private final String task;
  private final boolean idsOnly;

  BeirCorpusFormat(String task, boolean idsOnly) {
    this.task = task;
    this.idsOnly = idsOnly;
  }

  @Override
  public FileBinding<CorpusPage> bind(Path file, Map<String, String> types, boolean plainLists) {
    String id = BeirColumns.id(file, types, CORPUS_ID);
    // Checked even when not read, so a malformed corpus fails at --plan time already.
    String image = BeirColumns.image(file, types, IMAGE);
    String select = idsOnly ? id : id + ", " + image;
    return new FileBinding<>() {
      @Override
      public String selectList() {
        return select;
      }

      @Override
      public CorpusPage decode(ResultSet rs, long row) throws SQLException {
        String corpusId = rs.getString(1);
        if (corpusId == null) {
          throw new RowFormatException(task, row, CORPUS_ID, "is null");
        }
        if (idsOnly) {
          return new CorpusPage(corpusId, null, null);
        }
        byte[] bytes = rs.getBytes(2);
        String path = rs.getString(3);
        if ((bytes == null || bytes.length == 0) && (path == null || path.isEmpty())) {
          throw new RowFormatException(
              task, row, IMAGE, "has neither bytes nor a path (corpus-id " + corpusId + ")");
        }
        return new CorpusPage(corpusId, bytes, path == null || path.isEmpty() ? null : path);
      }
    };
  }
}
