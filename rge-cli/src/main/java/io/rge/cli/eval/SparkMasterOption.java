package io.rge.cli.eval;

import picocli.CommandLine.Option;

/** {@code --master URL}, mixed into the {@code spark-*} commands. */
public final class SparkMasterOption {
  @Option(
      names = "--master",
      paramLabel = "URL",
      description =
          "Spark master, e.g. local[2] or spark://host:7077 (default: spark-submit's, else"
              + " local[*]).")
  private String url;

  /** The master URL, or null for the one {@code spark-submit} configured. */
  public String url() {
    return url;
  }
}
