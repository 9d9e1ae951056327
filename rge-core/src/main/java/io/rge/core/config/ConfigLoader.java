package io.rge.core.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rge.core.text.JsonSyntax;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;

/**
 * Reads a YAML configuration file into a record, strictly.
 *
 * <p>The conventions, shared by every RGE command that takes {@code --config}:
 *
 * <ul>
 *   <li>YAML keys are snake_case; record components camelCase.
 *   <li>Unknown keys fail with the file, line and column of the key and the known keys.
 *   <li>Components marked {@code @JsonProperty(required = true)}, and all primitive components, are
 *       required; a missing one fails naming its path ({@code optimizer.lr}).
 *   <li>A null for a primitive fails; so does a wrong type, naming the path and the expected type.
 *   <li>Optional fields are boxed (or reference) components left null when absent; the record's
 *       compact constructor supplies the default and validates.
 *   <li>Paths stay strings and resolve with {@link LoadedConfig#resolve(String)}.
 *   <li>{@code --set a.b=VALUE} overrides apply to the YAML tree before any of these checks; an
 *       error caused by one names it.
 * </ul>
 */
public final class ConfigLoader {
  private ConfigLoader() {}

  /** Loads {@code file} into {@code type} without overrides. */
  public static <T> LoadedConfig<T> load(Path file, Class<T> type) {
    return load(file, type, List.of());
  }

  /**
   * Loads {@code file} into {@code type}, first applying {@code overrides} ({@code a.b=VALUE},
   * VALUE read as YAML), in order.
   *
   * @throws ConfigException naming the file position or the override at fault
   */
  public static <T> LoadedConfig<T> load(Path file, Class<T> type, List<String> overrides) {
    List<ConfigOverride> parsed = parse(overrides);
    String name = file.toString();
    return load(name, read(file, name), file, type, parsed);
  }

  /**
   * Loads YAML {@code text} (a default shipped on the class path, say) into {@code type}, with
   * {@code overrides}; {@code name} names it in errors and its folder is where paths resolve.
   *
   * @throws ConfigException naming the position or the override at fault
   */
  public static <T> LoadedConfig<T> load(
      Path name, String text, Class<T> type, List<String> overrides) {
    return load(name.toString(), text, name, type, parse(overrides));
  }

  private static List<ConfigOverride> parse(List<String> overrides) {
    try {
      return ConfigOverride.parseAll(overrides);
    } catch (IllegalArgumentException e) {
      throw new ConfigException("--set " + e.getMessage());
    }
  }

  private static <T> LoadedConfig<T> load(
      String name, String text, Path file, Class<T> type, List<ConfigOverride> parsed) {
    ConfigSources sources = ConfigSources.of(name, text);
    ObjectNode root = readTree(text, name);
    for (ConfigOverride override : parsed) {
      sources.add(override.applyTo(root));
    }
    JavaType javaType = ConfigMapper.MAPPER.constructType(type);
    TreeCheck.firstProblem(root, javaType, FieldPath.ROOT)
        .ifPresent(
            problem -> {
              throw problem.toException(sources);
            });
    try {
      T config = ConfigMapper.MAPPER.treeToValue(root, javaType);
      return new LoadedConfig<>(config, file);
    } catch (JsonMappingException e) {
      throw BindingErrors.explain(e, root).toException(sources);
    } catch (JsonProcessingException e) {
      throw new ConfigException(JsonSyntax.describe(name, "invalid value", e));
    }
  }

  private static String read(Path file, String name) {
    try {
      return Files.readString(file);
    } catch (NoSuchFileException e) {
      throw new ConfigException("config file " + name + " does not exist");
    } catch (IOException e) {
      throw new ConfigException("cannot read config file " + name, e);
    }
  }

  private static ObjectNode readTree(String text, String name) {
    JsonNode root;
    try {
      root = ConfigMapper.MAPPER.readTree(text);
    } catch (JsonProcessingException e) {
      // ConfigSources has reported syntax errors; what is left are values such as '.nan'.
      throw new ConfigException(JsonSyntax.describe(name, "not valid YAML", e));
    }
    if (root == null || root.isMissingNode() || root.isNull()) {
      throw new ConfigException(name + ": the file is empty; expected a mapping of keys");
    }
    if (!(root instanceof ObjectNode object)) {
      throw new ConfigException(
          name + ": expected a mapping of keys at the top level, found " + Nodes.describe(root));
    }
    return object;
  }
}
