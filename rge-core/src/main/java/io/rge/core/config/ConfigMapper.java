package io.rge.core.config;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

/**
 * The one YAML mapper for configuration files: strict, so that a typo or a wrong type is an error
 * rather than a silently ignored key or a truncated number.
 *
 * <p>Keys are snake_case in YAML and camelCase in the records ({@code warmup_steps} binds {@code
 * warmupSteps}).
 */
final class ConfigMapper {
  static final YAMLMapper MAPPER = builder().build();

  /** The mapper's settings, for {@link ConfigWriter} to add its own to. */
  static YAMLMapper.Builder builder() {
    return YAMLMapper.builder()
        .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
        .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
        .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
        .enable(DeserializationFeature.FAIL_ON_NUMBERS_FOR_ENUMS)
        // Repeated keys are reported with their line by ConfigSources; this is the backstop.
        .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
        // 1.5 for an int would otherwise become 1.
        .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
        .enable(MapperFeature.ACCEPT_CASE_INSENSITIVE_ENUMS);
  }

  private ConfigMapper() {}
}
