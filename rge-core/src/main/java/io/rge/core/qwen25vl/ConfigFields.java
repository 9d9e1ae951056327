package io.rge.core.qwen25vl;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * Typed access to the fields of one {@code config.json}; every error names the file and the field's
 * dotted path.
 */
final class ConfigFields {
  private final String source;

  ConfigFields(String source) {
    this.source = source;
  }

  /** A field value and where it was found. */
  record Field(JsonNode node, String path) {}

  /** The first of {@code candidates} that is present and not JSON null, or null. */
  static Field first(Field... candidates) {
    for (Field f : candidates) {
      if (f != null && f.node() != null && !f.node().isNull()) {
        return f;
      }
    }
    return null;
  }

  /** {@code parent.key} as a field at {@code prefix + key} (its node may be null). */
  static Field at(JsonNode parent, String prefix, String key) {
    return new Field(parent == null ? null : parent.get(key), prefix + key);
  }

  Field require(Field f, String path) {
    if (f == null || f.node() == null || f.node().isNull()) {
      throw error("field '" + path + "' is missing");
    }
    return f;
  }

  int integer(Field f) {
    JsonNode n = f.node();
    if (!n.isIntegralNumber() || !n.canConvertToInt()) {
      throw error("field '" + f.path() + "' must be an integer, got " + n);
    }
    return n.intValue();
  }

  double number(Field f) {
    JsonNode n = f.node();
    if (!n.isNumber()) {
      throw error("field '" + f.path() + "' must be a number, got " + n);
    }
    return n.doubleValue();
  }

  String string(Field f) {
    JsonNode n = f.node();
    if (!n.isTextual()) {
      throw error("field '" + f.path() + "' must be a string, got " + n);
    }
    return n.textValue();
  }

  boolean bool(Field f) {
    JsonNode n = f.node();
    if (!n.isBoolean()) {
      throw error("field '" + f.path() + "' must be true or false, got " + n);
    }
    return n.booleanValue();
  }

  List<Integer> integers(Field f) {
    JsonNode n = f.node();
    if (!n.isArray()) {
      throw error("field '" + f.path() + "' must be an array of integers, got " + n);
    }
    List<Integer> out = new ArrayList<>();
    for (JsonNode e : n) {
      if (!e.isIntegralNumber() || !e.canConvertToInt()) {
        throw error("field '" + f.path() + "' must be an array of integers, got " + n);
      }
      out.add(e.intValue());
    }
    return out;
  }

  JsonNode object(Field f) {
    if (!f.node().isObject()) {
      throw error("field '" + f.path() + "' must be an object, got " + f.node());
    }
    return f.node();
  }

  CheckpointException error(String problem) {
    return new CheckpointException(source + ": " + problem);
  }
}
