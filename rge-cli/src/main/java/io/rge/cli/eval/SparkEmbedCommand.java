package io.rge.cli.eval;

import io.rge.cli.DeviceOption;
import io.rge.cli.GenerationOptions;
import io.rge.cli.ImageLimitsOption;
import io.rge.cli.ModelOption;
import io.rge.cli.PrecisionOption;
import io.rge.cli.ReasoningOption;
import io.rge.spark.SparkEmbedOptions;
import io.rge.spark.SparkJobs;
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
            + " column (array<float>), and a rationale column with --reasoning on. --model must be"
            + " at the same path on every executor.",
    sortOptions = false,
    footerHeading = "%nExamples:%n",
    footer = {
      "  scripts/rge spark-embed --master local[2] --input corpus.parquet \\",
      "      --output corpus-embedded.parquet --model models/MCG-NJU-RGE \\",
      "      --reasoning off --image-column image_path --image-root data/images",
      "  scripts/rge spark-embed --master local[2] --input queries.parquet \\",
      "      --output queries-embedded.parquet --model models/MCG-NJU-RGE"
    })
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

  @Mixin private ModelOption model;

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

  @Mixin private ReasoningOption reasoning;

  @Mixin private GenerationOptions generation;

  @Option(
      names = "--partitions",
      paramLabel = "N",
      defaultValue = "0",
      description =
          "Repartition the input into N tasks; 0 keeps the input's (default: ${DEFAULT-VALUE}).")
  private int partitions;

  @Mixin private ImageLimitsOption imageLimits;

  @Mixin private DeviceOption device;

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
              generation.batchSize(),
              reasoning.on(),
              generation.maxNewTokens(),
              device.value(),
              precision.requested(),
              imageLimits.maxPixels());
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage());
    }
    long rows =
        SparkJobs.embedParquet(master.url(), input, output, model.folder(), options, partitions);
    spec.commandLine().getOut().printf("wrote %d rows to %s%n", rows, output);
    return 0;
  }
}
