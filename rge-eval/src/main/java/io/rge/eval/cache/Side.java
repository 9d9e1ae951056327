package io.rge.eval.cache;

/** Which side of a retrieval row an embedding belongs to. */
public enum Side {
  QUERIES,
  CANDIDATES
}
