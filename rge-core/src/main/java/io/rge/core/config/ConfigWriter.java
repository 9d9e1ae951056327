package io.rge.core.config;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.PropertyAccessor;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.cfg.EnumFeature;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

/**
 * Writes a configuration record as the YAML {@link ConfigLoader} reads back into an equal record:
 * snake_case keys, enums by their lower-case names, absent (null) values left out.
 */
public final class ConfigWriter {
  private static final YAMLMapper WRITER =
      ConfigMapper.builder()
          .serializationInclusion(JsonInclude.Include.NON_NULL)
          // Record components only (fields), not methods that look like getters (isPreset()).
          .visibility(PropertyAccessor.ALL, JsonAutoDetect.Visibility.NONE)
          .visibility(PropertyAccessor.FIELD, JsonAutoDetect.Visibility.ANY)
          .enable(EnumFeature.WRITE_ENUMS_TO_LOWERCASE)
          .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
          .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
          .enable(YAMLGenerator.Feature.INDENT_ARRAYS_WITH_INDICATOR)
          .build();

  private ConfigWriter() {}

  /** {@code config} as YAML. */
  public static String toYaml(Object config) {
    try {
      return WRITER.writeValueAsString(config);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write " + config.getClass().getSimpleName(), e);
    }
  }
}
