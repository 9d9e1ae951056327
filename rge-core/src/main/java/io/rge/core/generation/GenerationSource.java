package io.rge.core.generation;

import java.util.List;

/**
 * Where a running generation takes its prompts from: a fixed list (the batch API, {@link
 * RationaleGenerator#generate}) or a live queue that requests keep joining (a server). The loop
 * calls it on its own thread only, between decoding steps.
 */
public interface GenerationSource {
  /** Prompts waiting to start; the loop admits them only when enough slots are free. */
  int waiting();

  /**
   * Up to {@code max} prompts to start now, oldest first ({@code max} may be 0: the loop is between
   * two steps). While {@code idle} (no row is live) it may block until a prompt arrives; an empty
   * answer while idle ends the loop.
   */
  List<GenerationJob> take(int max, boolean idle);

  /**
   * Tokens every prompt of this source starts with, encoded once and shared by every row (empty:
   * nothing shared).
   */
  default int[] sharedPrefix() {
    return new int[0];
  }

  /** After each decoding step: how many rows it fed (for metrics). */
  default void stepped(int rows) {}
}
