package io.rge.core.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One {@code --set a.b=VALUE} override: a dotted key path (a numeric segment indexes a list) and a
 * value read as YAML, so {@code 3}, {@code 1e-4}, {@code true}, {@code [1, 2]} and {@code {a: 1}}
 * keep their types.
 */
public record ConfigOverride(String text, List<String> keys, JsonNode value) {

  /** Parses {@code KEY=VALUE}; anything else is an {@link IllegalArgumentException} naming it. */
  public static ConfigOverride parse(String text) {
    int equals = text.indexOf('=');
    if (equals <= 0) {
      throw new IllegalArgumentException(
          "'" + text + "' is not KEY=VALUE (for example optimizer.lr=1e-4)");
    }
    List<String> keys = Arrays.asList(text.substring(0, equals).trim().split("\\.", -1));
    if (keys.stream().anyMatch(String::isBlank)) {
      throw new IllegalArgumentException(
          "'" + text + "' has an empty key segment; write keys as a.b.c");
    }
    return new ConfigOverride(text, keys, parseValue(text, text.substring(equals + 1)));
  }

  private static JsonNode parseValue(String text, String value) {
    try {
      JsonNode node = ConfigMapper.MAPPER.readTree(value);
      return node == null || node.isMissingNode() ? NullNode.getInstance() : node;
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(
          "'"
              + text
              + "': the value is not valid YAML: "
              + e.getOriginalMessage().lines().findFirst().orElse(""),
          e);
    }
  }

  /**
   * Sets the value in {@code root}, creating missing mappings on the way; fails, naming this
   * override, where the path runs into a scalar or past the end of a list.
   */
  Applied applyTo(ObjectNode root) {
    JsonNode node = root;
    FieldPath path = FieldPath.ROOT;
    FieldPath createdFrom = null;
    for (int i = 0; i < keys.size(); i++) {
      String key = keys.get(i);
      boolean last = i == keys.size() - 1;
      if (node instanceof ObjectNode object) {
        path = path.child(key);
        JsonNode child = object.get(key);
        if (last) {
          object.set(key, value);
        } else if (child == null || child.isNull()) {
          createdFrom = createdFrom == null ? path : createdFrom;
          node = object.putObject(key);
        } else {
          node = child;
        }
      } else if (node instanceof ArrayNode array) {
        int index = index(key, array, path);
        path = path.child(index);
        if (last) {
          array.set(index, value);
        } else {
          node = array.get(index);
        }
      } else {
        throw new ConfigException(
            "--set " + text + ": '" + path + "' is " + Nodes.describe(node) + ", not a mapping");
      }
    }
    return new Applied(text, createdFrom == null ? path : createdFrom);
  }

  private int index(String key, ArrayNode array, FieldPath path) {
    int index;
    try {
      index = Integer.parseInt(key);
    } catch (NumberFormatException e) {
      throw new ConfigException(
          "--set " + text + ": '" + path + "' is a list; '" + key + "' is not an index");
    }
    if (index < 0 || index >= array.size()) {
      throw new ConfigException(
          "--set "
              + text
              + ": '"
              + path
              + "' has "
              + array.size()
              + " entries; index "
              + index
              + " is out of range");
    }
    return index;
  }

  /** An applied override and the subtree it wrote: errors inside that subtree are its fault. */
  record Applied(String text, FieldPath wrote) {
    boolean covers(FieldPath path) {
      return path.startsWith(wrote);
    }
  }

  /** All overrides of a list, parsed. */
  static List<ConfigOverride> parseAll(List<String> texts) {
    List<ConfigOverride> parsed = new ArrayList<>(texts.size());
    for (String text : texts) {
      parsed.add(parse(text));
    }
    return parsed;
  }
}
