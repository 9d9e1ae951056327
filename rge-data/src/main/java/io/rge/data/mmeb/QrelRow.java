package io.rge.data.mmeb;

/** One BEIR {@code qrels} row as read, before the score rule and de-duplication. */
record QrelRow(String queryId, String corpusId, double score) {}
