package io.rge.eval.prompt;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The YAML form of a prompt set ({@code configs/prompts-rge.yaml}).
 *
 * @param name a short name for reports and cache keys, e.g. "rge-paper"
 * @param description where the prompts come from
 * @param trailingNewline end every query and candidate text with a newline (RGE's released
 *     evaluation does this to every text once its rewrites are applied); default false
 * @param datasets dataset name -> rewrites; datasets not listed keep MMEB's texts
 */
record PromptFile(
    @JsonProperty(required = true) String name,
    String description,
    Boolean trailingNewline,
    @JsonProperty(required = true) Map<String, DatasetPrompts> datasets) {
  PromptFile {
    if (name.isBlank() || !name.matches("[A-Za-z0-9._-]+")) {
      throw new IllegalArgumentException(
          "name '" + name + "' must be letters, digits, '.', '_' or '-'");
    }
    description = description == null ? "" : description;
    trailingNewline = trailingNewline != null && trailingNewline;
    datasets = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(datasets));
  }
}
