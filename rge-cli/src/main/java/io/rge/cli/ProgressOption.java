package io.rge.cli;

import io.rge.core.progress.ProgressListener;
import picocli.CommandLine.Option;

/** {@code --no-progress}, mixed into every command that reports progress. */
public final class ProgressOption {
  static final String NAME = "--no-progress";

  @Option(
      names = NAME,
      description =
          "Report no progress: no bar on a terminal, no periodic progress lines when stderr is a"
              + " file or a pipe.")
  private boolean off;

  /** Whether progress is wanted. */
  public boolean shown() {
    return !off;
  }

  /** The terminal's progress renderer, or none with {@code --no-progress}. */
  public ProgressListener listener() {
    return TerminalProgress.orNone(!off);
  }
}
