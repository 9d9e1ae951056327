package io.rge.data.mmeb;

import java.util.Objects;

/**
 * One page of a visual-document corpus (a BEIR {@code corpus} row).
 *
 * @param id its {@code corpus-id}, as text
 * @param imageBytes the encoded image (PNG/JPEG) from the {@code image} struct, or null when the
 *     struct holds only a path
 * @param imagePath the struct's {@code path}, or null
 */
public record CorpusPage(String id, byte[] imageBytes, String imagePath) {
  public CorpusPage {
    Objects.requireNonNull(id, "id");
  }
}
