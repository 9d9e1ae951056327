package io.rge.data.rationale;

/** What training does with a row that has no oracle rationale. */
public enum MissingRationalePolicy {
  /** Leave the row out of training. */
  DROP,
  /** Keep the row for the contrastive loss only (no LM loss on a rationale). */
  CONTRASTIVE_ONLY
}
