package io.rge.eval;

import java.nio.file.Path;
import java.util.List;

/**
 * A dataset ready to embed: the distinct query and candidate items, and rows as indices into them.
 *
 * @param dataset the dataset
 * @param files its parquet files
 * @param queries distinct (text, image) queries after prompt rewriting
 * @param candidates distinct (text, image) candidates after prompt rewriting
 * @param rows rows kept, in dataset order
 * @param totalRows rows read
 * @param skippedRows rows left out for missing images
 * @param missingImages image references missing in those rows
 */
record DatasetPlan(
    String dataset,
    List<Path> files,
    List<EvalItem> queries,
    List<EvalItem> candidates,
    List<PlannedRow> rows,
    long totalRows,
    long skippedRows,
    long missingImages) {}
