package io.rge.serve;

import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The items of one request in the model's queue: done when every item is, failed when one fails.
 * Cancelling it (the client went away, or its deadline passed) drops its waiting items and frees
 * the slots of its live rows at the next step.
 */
final class Submission {
  private final ItemResult[] results;
  private final AtomicInteger remaining;
  private final CompletableFuture<List<ItemResult>> done = new CompletableFuture<>();
  private volatile boolean cancelled;

  Submission(int items) {
    this.results = new ItemResult[items];
    this.remaining = new AtomicInteger(items);
  }

  CompletableFuture<List<ItemResult>> done() {
    return done;
  }

  boolean cancelled() {
    return cancelled;
  }

  /** Items not yet finished; the rest of the work is dropped. */
  int cancel() {
    cancelled = true;
    done.cancel(false);
    return remaining.get();
  }

  void complete(int item, ItemResult result) {
    results[item] = result;
    if (remaining.decrementAndGet() == 0) {
      done.complete(Arrays.asList(results));
    }
  }

  void fail(Throwable error) {
    done.completeExceptionally(error);
  }
}
