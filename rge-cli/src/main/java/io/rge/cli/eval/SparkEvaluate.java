package io.rge.cli.eval;

import io.rge.core.image.ImageProcessorConfig;
import io.rge.core.qwen25vl.ModelFolderCheck;
import io.rge.eval.EvalReport;
import io.rge.eval.EvalSettings;
import io.rge.spark.SparkJobs;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code rge spark-eval}: {@code rge eval} with the embedding sharded over a Spark cluster by
 * dataset, side and block of batches; the driver (this process) scores and writes the same
 * scores.json, report.md and caches. Takes every option of {@code eval} (but {@code --plan}).
 */
@Command(
    name = "spark-eval",
    mixinStandardHelpOptions = true,
    description =
        "eval with the embedding sharded on Apache Spark (--master local[N] or a cluster);"
            + " the same outputs.",
    sortOptions = false,
    footerHeading = "%nExamples:%n",
    footer = {
      "  scripts/rge spark-eval --master local[2] --config configs/eval-synth.yaml",
      "  scripts/rge spark-eval --master local[2] --model models/MCG-NJU-RGE \\",
      "      --data data/MMEB-eval --out runs/eval-rge --config configs/eval-mmeb.yaml"
    })
public final class SparkEvaluate extends Evaluate {
  @Mixin private SparkMasterOption master;

  @Option(
      names = "--block-batches",
      paramLabel = "N",
      defaultValue = "4",
      description = "Batches per Spark task (default: ${DEFAULT-VALUE}).")
  private int blockBatches;

  @Override
  public Integer call() throws Exception {
    if (plan) {
      throw new CommandLine.ParameterException(
          spec.commandLine(), "--plan is eval's; run 'rge eval --plan' on one machine");
    }
    if (blockBatches < 1) {
      throw new CommandLine.ParameterException(spec.commandLine(), "--block-batches must be >= 1");
    }
    Settings s = settings();
    requireSomethingToScore(s.data(), s.eval().datasets());
    // The driver never loads the model: the resize target comes from the folder's settings.
    ModelFolderCheck.check(s.model());
    EvalSettings eval =
        s.eval().toBuilder()
            .imageLimits(
                s.eval()
                    .imageLimits()
                    .resizedTo(ImageProcessorConfig.read(s.model()).decodeTarget()))
            .build();
    EvalReport report =
        SparkJobs.evaluate(
            master.url(),
            s.model(),
            s.device(),
            precision.requested(),
            s.data(),
            eval,
            blockBatches);
    print(spec.commandLine().getOut(), report);
    if (report.scores().overall().present() == 0) {
      throw new IllegalStateException(
          "no dataset was scored (every row skipped?); see " + report.reportMarkdown());
    }
    return 0;
  }
}
