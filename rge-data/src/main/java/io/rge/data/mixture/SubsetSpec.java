package io.rge.data.mixture;

import java.util.Objects;

/**
 * One training subset of a mixture, as configured.
 *
 * @param name subset folder name under the MMEB-train root (e.g. "ImageNet_1K")
 * @param split split to read ("original" or "diverse_instruction")
 * @param cap at most this many rows, the first ones in file order (VLM2Vec's {@code split[:N]}; it
 *     used 50,000); {@link Long#MAX_VALUE} for all
 * @param weight rows drawn per epoch = round(weight x rows kept); see {@link TrainingMixture}
 */
public record SubsetSpec(String name, String split, long cap, double weight) {
  public SubsetSpec {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(split, "split");
    if (cap < 1) {
      throw new IllegalArgumentException("cap of " + name + " must be at least 1, got " + cap);
    }
    if (!(weight > 0) || Double.isInfinite(weight)) {
      throw new IllegalArgumentException("weight of " + name + " must be positive, got " + weight);
    }
  }

  /** All rows of the original split, weight 1. */
  public static SubsetSpec of(String name) {
    return new SubsetSpec(name, "original", Long.MAX_VALUE, 1.0);
  }
}
