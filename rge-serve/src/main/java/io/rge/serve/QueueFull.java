package io.rge.serve;

/** The model's queue cannot take a request's items now: answered 429 with Retry-After. */
final class QueueFull extends RuntimeException {
  QueueFull(int items, int waiting, int capacity) {
    super(
        "the queue holds "
            + waiting
            + " of "
            + capacity
            + " items and cannot take "
            + items
            + " more; retry later");
  }
}
