package io.rge.cli;

import io.rge.core.progress.ProgressListener;
import java.time.Duration;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/** Renders the libraries' progress reports as progress bars on stderr. */
public final class TerminalProgress implements ProgressListener {
  /** The renderer every command uses unless told to draw nothing. */
  public static final ProgressListener STDERR = new TerminalProgress();

  private TerminalProgress() {}

  /** {@link #STDERR}, or {@link ProgressListener#NONE} when {@code show} is false. */
  public static ProgressListener orNone(boolean show) {
    return show ? STDERR : ProgressListener.NONE;
  }

  @Override
  public Task start(String label, String unit, long total, long done) {
    ProgressBar bar =
        new ProgressBarBuilder()
            .setTaskName(label)
            .setInitialMax(total)
            .startsFrom(done, Duration.ZERO)
            .setStyle(ProgressBarStyle.ASCII)
            .setUnit(" " + unit, 1)
            .showSpeed()
            .setUpdateIntervalMillis(500)
            .continuousUpdate()
            .build();
    return new Task() {
      @Override
      public void stepTo(long n) {
        bar.stepTo(n);
      }

      @Override
      public void stepBy(long n) {
        bar.stepBy(n);
      }

      @Override
      public void status(String text) {
        bar.setExtraMessage(text);
      }

      @Override
      public void close() {
        bar.close();
      }
    };
  }
}
