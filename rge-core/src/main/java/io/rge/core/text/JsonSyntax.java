package io.rge.core.text;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;

/**
 * One-line messages for JSON (and YAML) syntax errors: {@code file:line:column: malformed JSON:
 * what}, instead of Jackson's two lines with a {@code [Source: …]} excerpt.
 */
public final class JsonSyntax {
  private JsonSyntax() {}

  /** {@code source:line:column: malformed JSON: <the parser's first line>}. */
  public static String describe(String source, JsonProcessingException e) {
    return describe(source, "malformed JSON", e);
  }

  /**
   * As {@link #describe(String, JsonProcessingException)} with another label ("not valid YAML").
   */
  public static String describe(String source, String label, JsonProcessingException e) {
    String what =
        e.getOriginalMessage() == null
            ? ""
            : e.getOriginalMessage().lines().findFirst().orElse("").strip();
    return position(source, e.getLocation()) + ": " + label + (what.isEmpty() ? "" : ": " + what);
  }

  /** {@code source:line:column}, or {@code source} when the location is unknown. */
  public static String position(String source, JsonLocation at) {
    return at == null || at.getLineNr() < 1
        ? source
        : source + ":" + at.getLineNr() + ":" + at.getColumnNr();
  }
}
