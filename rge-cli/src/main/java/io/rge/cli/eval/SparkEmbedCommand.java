package io.rge.cli.eval;

import io.rge.cli.DeviceConverter;
import io.rge.cli.OnOffConverter;
import io.rge.cli.PrecisionOption;
import io.rge.core.DeviceChoice;
import io.rge.data.images.ImageLimits;
import io.rge.spark.SparkEmbedOptions;
import io.rge.spark.SparkJobs;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code rge spark-embed}: embeds every row of a parquet table on Spark and writes the table with
 * an {@code embedding} column (and {@code rationale}, with reasoning) as parquet, atomically.
 */
@Command(
    name = "spark-embed",
    mixinStandardHelpOptions = true,
    description =
        "Embed every row of a parquet table on Apache Spark; writes it back with an embedding"
            + " column (array<float>).",
    sortOptions = false)
public final class SparkEmbedCommand implements Callable<Integer> {
  @Spec private CommandSpec spec;

  @Mixin private SparkMasterOption master;

  @Option(
      names = "--input",
      paramLabel = "PARQUET",
      required = true,
      description = "A parquet file or folder (any Spark path: file, hdfs://, ...).")
  private String input;

  @Option(
      names = "--output",
      paramLabel = "PARQUET",
      required = true,
      description = "The parquet folder to write; must not exist (written whole or not at all).")
  private String output;

  @Option(
      names = "--model",
      paramLabel = "DIR",
      required = true,
      description = "Model folder, at the same path on every executor.")
  private Path model;

  @Option(
      names = "--text-column",
      paramLabel = "NAME",
      defaultValue = "text",
      description = "The text column (default: ${DEFAULT-VALUE}).")
  private String textColumn;

  @Option(
      names = "--image-column",
      paramLabel = "NAME",
      description = "An image column: file paths (string) or encoded images (binary).")
  private String imageColumn;

  @Option(
      names = "--image-root",
      paramLabel = "DIR",
      description = "The folder relative image paths start at.")
  private String imageRoot;

  @Option(
      names = "--reasoning",
      arity = "1",
      paramLabel = "on|off",
      converter = OnOffConverter.class,
      defaultValue = "off",
      description =
          "on for queries (rationale first, kept in a rationale column), off for candidates"
              + " (default: ${DEFAULT-VALUE}).")
  private boolean reasoning;

  @Option(
      names = "--batch-size",
      paramLabel = "N",
      defaultValue = "16",
      description = "Rows embedded together in a task (default: ${DEFAULT-VALUE}).")
  private int batchSize;

  @Option(
      names = "--max-new-tokens",
      paramLabel = "N",
      defaultValue = "128",
      description = "Rationale token limit with reasoning (default: ${DEFAULT-VALUE}).")
  private int maxNewTokens;

  @Option(
      names = "--partitions",
      paramLabel = "N",
      defaultValue = "0",
      description = "Repartition the input into N tasks (default: keep the input's).")
  private int partitions;

  @Option(
      names = "--max-image-pixels",
      paramLabel = "N",
      description = "Largest width x height of an image (default: 89478485, as PIL).")
  private long maxImagePixels = ImageLimits.DEFAULT_MAX_PIXELS;

  @Option(
      names = "--device",
      paramLabel = "cpu|gpu|auto",
      converter = DeviceConverter.class,
      defaultValue = "auto",
      description = "Where executors run the model (default: ${DEFAULT-VALUE}).")
  private DeviceChoice device;

  @Mixin private PrecisionOption precision;

  @Override
  public Integer call() throws Exception {
    SparkEmbedOptions options;
    try {
      if (partitions < 0) {
        throw new IllegalArgumentException("--partitions must be >= 0, got " + partitions);
      }
      options =
          new SparkEmbedOptions(
              textColumn,
              imageColumn,
              imageRoot,
              batchSize,
              reasoning,
              maxNewTokens,
              device,
              precision.requested(),
              maxImagePixels);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage());
    }
    long rows = SparkJobs.embedParquet(master.url(), input, output, model, options, partitions);
    spec.commandLine().getOut().printf("wrote %d rows to %s%n", rows, output);
    return 0;
  }
}
