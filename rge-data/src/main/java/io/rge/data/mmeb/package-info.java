/**
 * Readers for the two MMEB parquet layouts (TIGER-Lab/MMEB-eval and TIGER-Lab/MMEB-train),
 * streaming rows in batches through DuckDB, with schema and image-placeholder checks that name the
 * file, dataset, row and column at fault.
 */
package io.rge.data.mmeb;
