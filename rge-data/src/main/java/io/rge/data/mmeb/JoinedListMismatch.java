package io.rge.data.mmeb;

/**
 * A row whose joined list column does not split back into its elements (an element contains the
 * separator). The stream then re-reads the rest of the file with plain list columns. Internal
 * control flow, never seen by callers.
 */
final class JoinedListMismatch extends RuntimeException {
  private static final long serialVersionUID = 1L;

  JoinedListMismatch() {
    super(null, null, false, false);
  }
}
