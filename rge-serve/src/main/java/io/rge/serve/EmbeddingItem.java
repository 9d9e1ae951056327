package io.rge.serve;

import io.rge.core.MultimodalInput;

/**
 * One item of an embeddings request.
 *
 * @param input its text and decoded image
 * @param query true for a query, false for a candidate (embedded directly)
 * @param reasoning for a query: generate its rationale first. {@code auto} is taken as on until the
 *     adaptive mode lands.
 */
record EmbeddingItem(MultimodalInput input, boolean query, boolean reasoning) {
  boolean reasoned() {
    return query && reasoning;
  }
}
