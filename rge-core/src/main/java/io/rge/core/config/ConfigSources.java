package io.rge.core.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import io.rge.core.text.JsonSyntax;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Where each value of a configuration tree came from: a line and column of the file, or a {@code
 * --set} override. Locations are taken in a streaming pass because overrides change the tree before
 * it is bound, and a bound tree has lost them.
 */
final class ConfigSources {
  private final String fileName;
  private final Map<String, JsonLocation> locations;
  private final List<ConfigOverride.Applied> overrides = new ArrayList<>();

  private ConfigSources(String fileName, Map<String, JsonLocation> locations) {
    this.fileName = fileName;
    this.locations = locations;
  }

  /**
   * Records the location of every key and list element of a YAML text.
   *
   * @throws ConfigException for a syntax error or a repeated key, with its position
   */
  static ConfigSources of(String fileName, String yaml) {
    Map<String, JsonLocation> locations = new HashMap<>();
    try (JsonParser parser = ConfigMapper.MAPPER.getFactory().createParser(yaml)) {
      for (JsonToken token = parser.nextToken(); token != null; token = parser.nextToken()) {
        if (token.isStructEnd()) {
          continue;
        }
        String pointer = parser.getParsingContext().pathAsPointer().toString();
        JsonLocation at = parser.currentTokenLocation();
        JsonLocation first = locations.putIfAbsent(pointer, at);
        // A key's token comes before its value's, so a path already seen at a key is a repeat.
        if (first != null && token == JsonToken.FIELD_NAME) {
          throw new ConfigException(
              JsonSyntax.position(fileName, at)
                  + ": duplicate key '"
                  + parser.currentName()
                  + "' (first at line "
                  + first.getLineNr()
                  + ")");
        }
      }
    } catch (JsonProcessingException e) {
      throw new ConfigException(JsonSyntax.describe(fileName, "not valid YAML", e));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot parse " + fileName, e);
    }
    return new ConfigSources(fileName, locations);
  }

  void add(ConfigOverride.Applied applied) {
    overrides.add(applied);
  }

  /**
   * The prefix of an error message about {@code path}: the last override that set it or one of its
   * parents, else the file position of the path or its nearest enclosing key, else the file name.
   */
  String where(FieldPath path) {
    for (int i = overrides.size() - 1; i >= 0; i--) {
      if (overrides.get(i).covers(path)) {
        return "--set " + overrides.get(i).text();
      }
    }
    for (FieldPath p = path; ; p = p.parent()) {
      JsonLocation location = locations.get(p.pointer());
      if (location != null && !p.isRoot()) {
        return fileName + ":" + location.getLineNr() + ":" + location.getColumnNr();
      }
      if (p.isRoot()) {
        return fileName;
      }
    }
  }
}
