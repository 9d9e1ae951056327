package io.rge.data.mixture;

/** How rows of different subsets share a batch. */
public enum BatchMode {
  /** Rows of all subsets shuffled together; a batch mixes subsets. */
  MIXED,
  /**
   * Each batch holds rows of one subset only (harder in-batch negatives, as VLM2Vec's interleaved
   * batches); the order of batches is shuffled across subsets.
   */
  PER_SUBSET
}
