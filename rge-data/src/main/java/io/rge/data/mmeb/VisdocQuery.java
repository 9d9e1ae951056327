package io.rge.data.mmeb;

import java.util.Objects;

/**
 * One query of a visual-document task (a BEIR {@code queries} row).
 *
 * @param id its {@code query-id}, as text
 * @param text the query
 * @param language its {@code language} (ViDoRe-V2), or null when the table has none
 */
public record VisdocQuery(String id, String text, String language) {
  public VisdocQuery {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(text, "text");
  }
}
