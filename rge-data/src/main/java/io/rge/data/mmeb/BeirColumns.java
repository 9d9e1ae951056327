package io.rge.data.mmeb;

import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Column checks for the BEIR tables (corpus, queries, qrels). Hugging Face writes ids as strings in
 * some sets and as integers in others (ViDoRe's {@code corpus-id}), so ids accept both and are read
 * as text; an image is the {@code {bytes, path}} struct of the {@code datasets} Image feature.
 */
final class BeirColumns {
  private static final Set<String> INTEGERS =
      Set.of(
          "TINYINT",
          "SMALLINT",
          "INTEGER",
          "BIGINT",
          "HUGEINT",
          "UTINYINT",
          "USMALLINT",
          "UINTEGER",
          "UBIGINT");
  private static final Set<String> FLOATS = Set.of("FLOAT", "DOUBLE");
  private static final Pattern IMAGE_STRUCT =
      Pattern.compile(
          "STRUCT\\((?=.*\"?bytes\"? BLOB)(?=.*\"?path\"? VARCHAR).*\\)", Pattern.CASE_INSENSITIVE);

  private BeirColumns() {}

  /** A string or integer id column, as a SELECT item giving text. */
  static String id(Path file, Map<String, String> types, String column) {
    String type = present(file, types, column, "string or integer id");
    if (!type.equals(ParquetColumns.STRING) && !INTEGERS.contains(type)) {
      throw wrongType(file, column, type, "a string or integer id");
    }
    return "CAST(" + quoted(column) + " AS VARCHAR)";
  }

  /** A string column, as a SELECT item. */
  static String text(Path file, Map<String, String> types, String column) {
    String type = present(file, types, column, "string");
    if (!type.equals(ParquetColumns.STRING)) {
      throw wrongType(file, column, type, "a string");
    }
    return quoted(column);
  }

  /** A numeric relevance grade, as a SELECT item giving a DOUBLE. */
  static String grade(Path file, Map<String, String> types, String column) {
    String type = present(file, types, column, "numeric relevance grade");
    if (!INTEGERS.contains(type) && !FLOATS.contains(type)) {
      throw wrongType(file, column, type, "an integer or floating-point relevance grade");
    }
    return "CAST(" + quoted(column) + " AS DOUBLE)";
  }

  /** The image struct, as two SELECT items: its bytes (BLOB) and its path (VARCHAR). */
  static String image(Path file, Map<String, String> types, String column) {
    String type = present(file, types, column, "image struct {bytes, path}");
    if (!IMAGE_STRUCT.matcher(type).matches()) {
      throw wrongType(file, column, type, "the image struct {bytes: binary, path: string}");
    }
    return "struct_extract("
        + quoted(column)
        + ", 'bytes'), struct_extract("
        + quoted(column)
        + ", 'path')";
  }

  private static String present(
      Path file, Map<String, String> types, String column, String expected) {
    String type = types.get(column);
    if (type == null) {
      throw new ParquetSchemaException(
          file,
          "missing column '"
              + column
              + "' ("
              + expected
              + "); the file has columns "
              + types.keySet());
    }
    return type;
  }

  private static ParquetSchemaException wrongType(
      Path file, String column, String type, String expected) {
    return new ParquetSchemaException(
        file, "column '" + column + "' has type " + type + ", expected " + expected);
  }

  private static String quoted(String column) {
    return "\"" + column.replace("\"", "\"\"") + "\"";
  }
}
