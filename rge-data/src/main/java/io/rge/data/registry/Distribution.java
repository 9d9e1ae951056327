package io.rge.data.registry;

/**
 * Whether an evaluation dataset also has an MMEB-train subset (in-distribution) or not
 * (out-of-distribution).
 */
public enum Distribution {
  IND,
  OOD
}
