/**
 * Oracle rationales: JSON Lines files aligned by row index with an MMEB-train subset, checked line
 * by line.
 */
package io.rge.data.rationale;
