package io.rge.eval;

/**
 * One scored row: its index in the dataset, its query's item index and its candidates' item indices
 * (candidate 0 first).
 */
record PlannedRow(long row, int query, int[] candidates) {}
