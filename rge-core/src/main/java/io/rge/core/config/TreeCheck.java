package io.rge.core.config;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.DeserializationConfig;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.PropertyName;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.introspect.BeanPropertyDefinition;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Checks a configuration tree against the record types it will bind to, before binding: unknown
 * keys first (a misspelt key is the likely reason a required one is missing), then missing required
 * fields, through nested records (bound by their components, a creator or a builder), lists and
 * maps.
 *
 * <p>Required are the components marked {@code @JsonProperty(required = true)} and every primitive
 * component: Jackson would quietly bind an absent primitive to 0, which no config means. Binding
 * itself still rejects unknown keys, so this walk only improves on the order and the messages.
 */
final class TreeCheck {
  private TreeCheck() {}

  static Optional<ConfigProblem> firstProblem(JsonNode node, JavaType type, FieldPath path) {
    if (node == null || node.isNull() || node.isMissingNode()) {
      return Optional.empty();
    }
    if ((type.isCollectionLikeType() || type.isArrayType()) && node.isArray()) {
      for (int i = 0; i < node.size(); i++) {
        Optional<ConfigProblem> p = firstProblem(node.get(i), type.getContentType(), path.child(i));
        if (p.isPresent()) {
          return p;
        }
      }
    } else if (type.isMapLikeType() && node.isObject()) {
      for (Map.Entry<String, JsonNode> e : node.properties()) {
        Optional<ConfigProblem> p =
            firstProblem(e.getValue(), type.getContentType(), path.child(e.getKey()));
        if (p.isPresent()) {
          return p;
        }
      }
    } else if (node.isObject() && (type.getRawClass().isRecord() || builtWithBuilder(type))) {
      return firstProblemInRecord(node, type, path);
    }
    return Optional.empty();
  }

  private static Optional<ConfigProblem> firstProblemInRecord(
      JsonNode node, JavaType type, FieldPath path) {
    DeserializationConfig config = ConfigMapper.MAPPER.getDeserializationConfig();
    BeanDescription description = config.introspect(type);
    Class<?> builder = description.findPOJOBuilder();
    if (builder != null) {
      // A record bound through its builder: the builder's setters are its keys.
      description = config.introspectForBuilder(config.constructType(builder), description);
    }
    Map<String, BeanPropertyDefinition> properties = new LinkedHashMap<>();
    Map<String, String> aliases = new LinkedHashMap<>();
    for (BeanPropertyDefinition property : description.findProperties()) {
      if (property.couldDeserialize()) {
        properties.put(property.getName(), property);
        for (PropertyName alias : property.findAliases()) {
          aliases.put(alias.getSimpleName(), property.getName());
        }
      }
    }
    JsonIgnoreProperties ignorals = type.getRawClass().getAnnotation(JsonIgnoreProperties.class);
    if (ignorals == null || !ignorals.ignoreUnknown()) {
      Set<String> ignored = ignorals == null ? Set.of() : Set.of(ignorals.value());
      for (Map.Entry<String, JsonNode> entry : node.properties()) {
        String key = entry.getKey();
        if (!properties.containsKey(key) && !aliases.containsKey(key) && !ignored.contains(key)) {
          return Optional.of(ConfigProblem.unknownKey(path.child(key), properties.keySet()));
        }
      }
    }
    for (BeanPropertyDefinition property : properties.values()) {
      JavaType propertyType = property.getPrimaryType();
      JsonNode child = valueOf(node, property, aliases);
      FieldPath childPath = path.child(property.getName());
      if (child == null) {
        if (property.isRequired() || propertyType.isPrimitive()) {
          return Optional.of(ConfigProblem.missing(childPath));
        }
      } else if (child.isNull()) {
        // A null primitive is left to FAIL_ON_NULL_FOR_PRIMITIVES, whose message names the type.
        if (property.isRequired() && !propertyType.isPrimitive()) {
          return Optional.of(ConfigProblem.empty(childPath));
        }
      } else {
        Optional<ConfigProblem> p = firstProblem(child, propertyType, childPath);
        if (p.isPresent()) {
          return p;
        }
      }
    }
    return Optional.empty();
  }

  private static boolean builtWithBuilder(JavaType type) {
    JsonDeserialize d = type.getRawClass().getAnnotation(JsonDeserialize.class);
    return d != null && d.builder() != Void.class;
  }

  private static JsonNode valueOf(
      JsonNode node, BeanPropertyDefinition property, Map<String, String> aliases) {
    JsonNode value = node.get(property.getName());
    if (value != null) {
      return value;
    }
    for (Map.Entry<String, String> alias : aliases.entrySet()) {
      if (alias.getValue().equals(property.getName()) && node.has(alias.getKey())) {
        return node.get(alias.getKey());
      }
    }
    return null;
  }
}
