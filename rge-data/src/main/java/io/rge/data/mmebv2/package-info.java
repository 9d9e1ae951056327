/**
 * MMEB-V2 (VLM2Vec-V2): the 78-task registry with each task's modality, group column, metric and
 * data folder. The readers of the visual-document BEIR data live in {@code io.rge.data.mmeb}, next
 * to the MMEB-V1 readers whose DuckDB streaming they share.
 */
package io.rge.data.mmebv2;
