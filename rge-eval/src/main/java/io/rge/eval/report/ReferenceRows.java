package io.rge.eval.report;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.rge.core.config.ConfigLoader;
import java.nio.file.Path;
import java.util.List;

/**
 * Reference rows for the report (e.g. {@code configs/reference-paper.yaml}).
 *
 * @param source where the numbers were published
 * @param rows the rows, in table order
 */
public record ReferenceRows(String source, @JsonProperty(required = true) List<ReferenceRow> rows) {
  public ReferenceRows {
    source = source == null ? "" : source;
    rows = List.copyOf(rows);
  }

  /** Reads a reference file strictly (unknown keys and missing numbers fail, naming the line). */
  public static ReferenceRows load(Path file) {
    return ConfigLoader.load(file, ReferenceRows.class).config();
  }
}
