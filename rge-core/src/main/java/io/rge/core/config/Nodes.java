package io.rge.core.config;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Arrays;
import java.util.Collection;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/** Words for what a configuration value is and what a field expects, for error messages. */
final class Nodes {
  private Nodes() {}

  /** What a YAML value is: {@code a mapping}, {@code a list}, {@code null}, or the value quoted. */
  static String describe(JsonNode node) {
    if (node == null || node.isMissingNode()) {
      return "nothing";
    }
    if (node.isNull()) {
      return "null";
    }
    if (node.isObject()) {
      return "a mapping";
    }
    if (node.isArray()) {
      return "a list";
    }
    return node.isTextual() ? "'" + node.asText() + "'" : node.asText();
  }

  /** What a field of type {@code type} accepts. */
  static String expected(Class<?> type) {
    if (type == null) {
      return "a value of another type";
    }
    Class<?> t = type.isPrimitive() ? boxed(type) : type;
    String name = type.getSimpleName();
    if (t == Boolean.class) {
      return "true or false";
    }
    if (t == Integer.class
        || t == Long.class
        || t == Short.class
        || t == Byte.class
        || t == java.math.BigInteger.class) {
      return "an integer (" + name + ")";
    }
    if (Number.class.isAssignableFrom(t)) {
      return "a number (" + name + ")";
    }
    if (CharSequence.class.isAssignableFrom(t)) {
      return "a string";
    }
    if (t == Character.class) {
      return "a single character";
    }
    if (t.isEnum()) {
      return "one of "
          + Arrays.stream(t.getEnumConstants())
              .map(c -> c.toString().toLowerCase(Locale.ROOT))
              .collect(Collectors.joining(", ", "[", "]"));
    }
    if (t.isArray() || Collection.class.isAssignableFrom(t)) {
      return "a list";
    }
    if (Map.class.isAssignableFrom(t) || t.isRecord()) {
      return "a mapping";
    }
    return "a " + name;
  }

  private static Class<?> boxed(Class<?> primitive) {
    return switch (primitive.getName()) {
      case "boolean" -> Boolean.class;
      case "int" -> Integer.class;
      case "long" -> Long.class;
      case "short" -> Short.class;
      case "byte" -> Byte.class;
      case "char" -> Character.class;
      case "float" -> Float.class;
      case "double" -> Double.class;
      default -> primitive;
    };
  }
}
