package io.rge.cli;

import io.rge.core.progress.ProgressListener;
import java.io.PrintStream;
import java.time.Duration;
import java.util.Optional;
import java.util.function.LongSupplier;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * Renders the libraries' progress reports on stderr: a progress bar when there is a terminal, and
 * plain periodic lines without control codes when the output goes to a pipe or a file (one line
 * every {@link #PLAIN_EVERY}, plus the start and the end).
 *
 * <p>The bar is kept to the terminal's width (the {@code COLUMNS} variable, else 80): the status
 * text is shortened at a word boundary so that the bar keeps at least {@link #MIN_BAR} characters.
 * The time left is estimated from the progress made since the first step (not since the start,
 * which includes loading), and shown only once that estimate has some data behind it.
 */
public final class TerminalProgress implements ProgressListener {
  static final Duration PLAIN_EVERY = Duration.ofSeconds(30);
  static final int MIN_BAR = 20;

  /** What the bar's own parts take besides the label and the status: percent, counts, times. */
  private static final int BAR_FIXED = 40;

  /** The renderer every command uses unless told to draw nothing. */
  public static final ProgressListener STDERR =
      new TerminalProgress(System.err, System.console() != null, columns(), System::nanoTime);

  private final PrintStream out;
  private final boolean interactive;
  private final int columns;
  private final LongSupplier nanoClock;

  TerminalProgress(PrintStream out, boolean interactive, int columns, LongSupplier nanoClock) {
    this.out = out;
    this.interactive = interactive;
    this.columns = columns;
    this.nanoClock = nanoClock;
  }

  /** {@link #STDERR}, or {@link ProgressListener#NONE} when {@code show} is false. */
  public static ProgressListener orNone(boolean show) {
    return show ? STDERR : ProgressListener.NONE;
  }

  @Override
  public Task start(String label, String unit, long total, long done) {
    Eta eta = new Eta(total, nanoClock);
    eta.observe(done);
    return interactive
        ? bar(label, unit, total, done, eta)
        : new PlainLines(label, unit, total, done, eta);
  }

  private Task bar(String label, String unit, long total, long done, Eta eta) {
    ProgressBar bar =
        new ProgressBarBuilder()
            .setTaskName(label)
            .setInitialMax(total)
            .startsFrom(done, Duration.ZERO)
            .setStyle(ProgressBarStyle.ASCII)
            .setUnit(" " + unit, 1)
            .setMaxRenderedLength(columns)
            .setEtaFunction(state -> eta.left())
            .setUpdateIntervalMillis(500)
            .continuousUpdate()
            .build();
    int statusWidth = Math.max(0, columns - label.length() - BAR_FIXED - MIN_BAR);
    return new Task() {
      @Override
      public void stepTo(long n) {
        eta.observe(n);
        bar.stepTo(n);
      }

      @Override
      public void stepBy(long n) {
        stepTo(bar.getCurrent() + n);
      }

      @Override
      public void status(String text) {
        bar.setExtraMessage(fit(text, statusWidth));
      }

      @Override
      public void close() {
        bar.close();
      }
    };
  }

  /** One line now and then: no carriage returns, no escape codes, nothing a log file mangles. */
  private final class PlainLines implements Task {
    private final String label;
    private final String unit;
    private final long total;
    private final Eta eta;
    private final long started;
    private long done;
    private String status = "";
    private long lastLine;

    PlainLines(String label, String unit, long total, long done, Eta eta) {
      this.label = label;
      this.unit = unit;
      this.total = total;
      this.done = done;
      this.eta = eta;
      this.started = nanoClock.getAsLong();
      this.lastLine = started;
      line();
    }

    @Override
    public synchronized void stepTo(long n) {
      done = n;
      eta.observe(n);
      if (nanoClock.getAsLong() - lastLine >= PLAIN_EVERY.toNanos()) {
        line();
      }
    }

    @Override
    public synchronized void stepBy(long n) {
      stepTo(done + n);
    }

    @Override
    public synchronized void status(String text) {
      status = text;
    }

    @Override
    public synchronized void close() {
      line();
    }

    private void line() {
      long now = nanoClock.getAsLong();
      lastLine = now;
      StringBuilder sb =
          new StringBuilder(label)
              .append(": ")
              .append(done)
              .append('/')
              .append(total)
              .append(' ')
              .append(unit);
      if (total > 0) {
        sb.append(" (").append(100 * done / total).append("%)");
      }
      sb.append(", ").append(clock(Duration.ofNanos(now - started))).append(" elapsed");
      eta.left().ifPresent(d -> sb.append(", about ").append(clock(d)).append(" left"));
      if (!status.isEmpty()) {
        sb.append(" · ").append(status);
      }
      out.println(sb);
      out.flush();
    }
  }

  /**
   * The time left, from the rate since the first observed progress: the first step often comes
   * after loading or process starts, and counting that time would make the first estimates absurd.
   * No estimate until two observations at least {@link #MIN_SPAN} apart.
   */
  static final class Eta {
    static final Duration MIN_SPAN = Duration.ofSeconds(5);
    private final long total;
    private final LongSupplier nanoClock;
    private long startDone = -1;
    private long anchorDone;
    private long anchorAt = -1;
    private long lastDone;
    private long lastAt;

    Eta(long total, LongSupplier nanoClock) {
      this.total = total;
      this.nanoClock = nanoClock;
    }

    synchronized void observe(long done) {
      long now = nanoClock.getAsLong();
      if (startDone < 0) {
        startDone = done;
      } else if (anchorAt < 0) {
        if (done > startDone) {
          anchorDone = done;
          anchorAt = now;
          lastDone = done;
          lastAt = now;
        }
      } else if (done > lastDone) {
        lastDone = done;
        lastAt = now;
      }
    }

    synchronized Optional<Duration> left() {
      if (anchorAt < 0 || lastDone <= anchorDone || lastAt - anchorAt < MIN_SPAN.toNanos()) {
        return Optional.empty();
      }
      double nanosPerUnit = (double) (lastAt - anchorAt) / (lastDone - anchorDone);
      return Optional.of(Duration.ofNanos((long) (nanosPerUnit * Math.max(0, total - lastDone))));
    }
  }

  /** {@code text} cut at a word boundary to at most {@code width} characters, marked with "…". */
  static String fit(String text, int width) {
    if (text.length() <= width) {
      return text;
    }
    if (width < 2) {
      return "";
    }
    int cut = text.lastIndexOf(' ', width - 1);
    String kept = (cut > 0 ? text.substring(0, cut) : text.substring(0, width - 1)).stripTrailing();
    while (kept.endsWith("·")) {
      kept = kept.substring(0, kept.length() - 1).stripTrailing();
    }
    return kept + "…";
  }

  static String clock(Duration d) {
    long s = d.toSeconds();
    return String.format("%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60);
  }

  /** The terminal's width as the shell exports it, else 80. */
  private static int columns() {
    try {
      String c = System.getenv("COLUMNS");
      return c == null ? 80 : Math.max(40, Integer.parseInt(c.trim()));
    } catch (NumberFormatException e) {
      return 80;
    }
  }
}
