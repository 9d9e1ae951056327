package io.rge.training.metrics;

import java.time.Duration;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * The terminal progress bar of a run: steps done of the total, ETA, and running (exponentially
 * smoothed) losses. A disabled one draws nothing.
 */
public final class TrainingProgress implements AutoCloseable {
  private static final double SMOOTHING = 0.1;

  private final ProgressBar bar;
  private double total = Double.NaN;
  private double lm = Double.NaN;
  private double contrastive = Double.NaN;
  private boolean lmOnly;

  private TrainingProgress(ProgressBar bar) {
    this.bar = bar;
  }

  /**
   * @param startStep steps already done (a resumed run starts its bar there)
   * @param enabled false for no bar (tests, logs redirected to files)
   */
  public static TrainingProgress start(
      String task, long startStep, long totalSteps, boolean enabled) {
    if (!enabled) {
      return new TrainingProgress(null);
    }
    ProgressBar bar =
        new ProgressBarBuilder()
            .setTaskName(task)
            .setInitialMax(totalSteps)
            .startsFrom(startStep, Duration.ZERO)
            .setStyle(ProgressBarStyle.ASCII)
            .setUpdateIntervalMillis(500)
            .setUnit(" steps", 1)
            .continuousUpdate()
            .build();
    return new TrainingProgress(bar);
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
    if (bar != null) {
      bar.stepTo(m.step());
      bar.setExtraMessage(message());
    }
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
    if (bar != null) {
      bar.close();
    }
  }
}
