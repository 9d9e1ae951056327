package io.rge.data.mmeb;

import java.nio.file.Path;
import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/** Column checks and value conversions shared by the MMEB formats. */
final class ParquetColumns {
  static final String STRING = "VARCHAR";
  static final String STRING_LIST = "VARCHAR[]";

  private ParquetColumns() {}

  /**
   * Fails unless {@code column} exists with {@code type}; names the file, column, found and
   * expected type.
   */
  static void require(Path file, Map<String, String> types, String column, String type) {
    String actual = types.get(column);
    if (actual == null) {
      throw new ParquetSchemaException(
          file,
          "missing column '"
              + column
              + "' ("
              + describe(type)
              + "); the file has columns "
              + types.keySet());
    }
    if (!actual.equals(type)) {
      throw new ParquetSchemaException(
          file,
          "column '"
              + column
              + "' has type "
              + actual
              + ", expected "
              + type
              + " ("
              + describe(type)
              + ")");
    }
  }

  /** True when {@code column} exists; then it must have {@code type}. */
  static boolean optional(Path file, Map<String, String> types, String column, String type) {
    if (!types.containsKey(column)) {
      return false;
    }
    require(file, types, column, type);
    return true;
  }

  private static String describe(String type) {
    return type.equals(STRING_LIST) ? "list<string>" : "string";
  }

  /** An image path as rows carry it: null for SQL NULL and for "" (MMEB's "no image"). */
  static String imagePath(String raw) {
    return raw == null || raw.isEmpty() ? null : raw;
  }

  /** A list column's value, or null for SQL NULL; elements may be null. */
  static List<String> stringList(ResultSet resultSet, int column) throws SQLException {
    Array array = resultSet.getArray(column);
    if (array == null) {
      return null;
    }
    Object[] values = (Object[]) array.getArray();
    List<String> out = new ArrayList<>(values.length);
    for (Object value : values) {
      out.add((String) value);
    }
    return out;
  }

  /**
   * An unmodifiable copy that, unlike {@link List#copyOf}, keeps null elements (rows use null for
   * "no image").
   */
  static List<String> frozen(List<String> values) {
    return Collections.unmodifiableList(Arrays.asList(values.toArray(new String[0])));
  }
}
