package io.rge.training.metrics;

import io.rge.core.progress.ProgressListener;

/**
 * The progress of a run: steps done of the total and running (exponentially smoothed) losses,
 * reported to a {@link ProgressListener}.
 */
public final class TrainingProgress implements AutoCloseable {
  private static final double SMOOTHING = 0.1;

  private final ProgressListener.Task task;
  private double total = Double.NaN;
  private double lm = Double.NaN;
  private double contrastive = Double.NaN;
  private boolean lmOnly;

  private TrainingProgress(ProgressListener.Task task) {
    this.task = task;
  }

  /**
   * @param startStep steps already done (a resumed run starts there)
   */
  public static TrainingProgress start(
      ProgressListener listener, String task, long startStep, long totalSteps) {
    return new TrainingProgress(listener.start(task, "steps", totalSteps, startStep));
  }

  /**
   * Advances one step and folds its losses into the running values (skipped steps: no losses). The
   * running values restart when the LM-only warm-up ends, since the total changes meaning there.
   */
  public void step(StepMetrics m) {
    if (m.lmOnly() != lmOnly) {
      lmOnly = m.lmOnly();
      total = Double.NaN;
      lm = Double.NaN;
      contrastive = Double.NaN;
    }
    if (!m.skipped()) {
      total = smooth(total, m.total());
      lm = smooth(lm, m.lm());
      contrastive = smooth(contrastive, m.contrastive());
    }
    task.stepTo(m.step());
    task.status(message());
  }

  /** The running losses, e.g. {@code total 3.10 lm 1.20 cl 0.19}. */
  public String message() {
    StringBuilder s = new StringBuilder();
    append(s, "total", total);
    append(s, "lm", lm);
    append(s, "cl", contrastive);
    return s.toString();
  }

  private static void append(StringBuilder s, String name, double value) {
    if (!Double.isNaN(value)) {
      if (s.length() > 0) {
        s.append(' ');
      }
      s.append(name).append(' ').append(String.format("%.3f", value));
    }
  }

  private static double smooth(double running, Double value) {
    if (value == null) {
      return running;
    }
    return Double.isNaN(running) ? value : running + SMOOTHING * (value - running);
  }

  @Override
  public void close() {
    task.close();
  }
}
