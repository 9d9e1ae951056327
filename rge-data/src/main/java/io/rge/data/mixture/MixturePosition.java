package io.rge.data.mixture;

import java.util.Objects;

/**
 * Where a {@link BatchCursor} stands: the next batch it will return. Small and JSON-serialisable
 * (Jackson reads and writes records), so it can go into a training checkpoint; {@link
 * TrainingMixture#resume} refuses a position taken from a different mixture.
 *
 * @param fingerprint {@link TrainingMixture#fingerprint()} of the mixture it was taken from
 * @param seed the mixture's seed
 * @param epoch 0-based epoch of the next batch
 * @param batch 0-based index within that epoch of the next batch
 */
public record MixturePosition(String fingerprint, long seed, int epoch, int batch) {
  public MixturePosition {
    Objects.requireNonNull(fingerprint, "fingerprint");
    if (epoch < 0 || batch < 0) {
      throw new IllegalArgumentException(
          "epoch and batch must be >= 0, got " + epoch + ", " + batch);
    }
  }
}
