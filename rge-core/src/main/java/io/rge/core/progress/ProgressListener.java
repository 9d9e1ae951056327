package io.rge.core.progress;

/**
 * Where long-running library work (loading weights, embedding a dataset, training) reports how far
 * it got. The libraries never draw anything themselves: the command line renders these reports as a
 * progress bar in a terminal or as periodic log lines, and a library user passes {@link #NONE} or
 * their own listener.
 */
public interface ProgressListener {
  /** Draws nothing. */
  ProgressListener NONE = (label, unit, total, done) -> Task.NONE;

  /**
   * Starts a task of {@code total} units (steps, rows, MiB) of which {@code done} are already done
   * (a resumed run); the worker advances and closes the returned task.
   */
  Task start(String label, String unit, long total, long done);

  /** One task's progress; closing it ends the task's display. */
  interface Task extends AutoCloseable {
    Task NONE = new Task() {};

    /** Sets the units done so far. */
    default void stepTo(long done) {}

    /** Adds {@code n} units done. */
    default void stepBy(long n) {}

    /** A short status shown beside the count, e.g. running losses. */
    default void status(String text) {}

    @Override
    default void close() {}
  }
}
