package io.rge.training.parity;

import java.util.List;

/**
 * The rows of one fixture case.
 *
 * @param name the case, e.g. {@code img0}
 * @param hasImages whether the case's sequences contain images (M-RoPE image positions matter)
 * @param rows one row per compared tensor
 */
record CaseResult(String name, boolean hasImages, List<ParityRow> rows) {
  CaseResult {
    rows = List.copyOf(rows);
  }

  boolean passed() {
    return rows.stream().allMatch(ParityRow::passed);
  }
}
