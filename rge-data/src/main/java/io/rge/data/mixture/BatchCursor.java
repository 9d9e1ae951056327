package io.rge.data.mixture;

import java.util.Iterator;
import java.util.List;

/**
 * Endless batches of a {@link TrainingMixture}, epoch after epoch, each epoch reshuffled
 * deterministically. Not thread-safe.
 */
public final class BatchCursor<T> implements Iterator<List<T>> {
  private final TrainingMixture<T> mixture;
  private int epoch;
  private int batch;
  private long[][] plan;

  BatchCursor(TrainingMixture<T> mixture, int epoch, int batch) {
    this.mixture = mixture;
    this.epoch = epoch;
    this.batch = batch;
    this.plan = mixture.plan(epoch);
  }

  /** Always true: the cursor moves on to the next epoch. */
  @Override
  public boolean hasNext() {
    return true;
  }

  @Override
  public List<T> next() {
    if (batch >= plan.length) {
      epoch++;
      batch = 0;
      plan = mixture.plan(epoch);
    }
    return mixture.rows(plan[batch++]);
  }

  /** The position of the batch {@link #next()} returns next; save it after a training step. */
  public MixturePosition position() {
    if (batch >= plan.length) {
      return new MixturePosition(mixture.fingerprint(), mixture.seed(), epoch + 1, 0);
    }
    return new MixturePosition(mixture.fingerprint(), mixture.seed(), epoch, batch);
  }

  /** Epoch of the batch {@link #next()} returns next. */
  public int epoch() {
    return position().epoch();
  }
}
