package io.rge.cli.quickstart;

import io.rge.cli.ProgressOption;
import java.io.PrintWriter;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.IDefaultValueProvider;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code rge quickstart}: the whole method in miniature, on a CPU, in about ten minutes. */
@Command(
    name = "quickstart",
    mixinStandardHelpOptions = true,
    description =
        "Generate RGE-Synth, train a tiny Qwen2.5-VL from scratch in three modes (rge, baseline,"
            + " oracle-leak), evaluate each on held-out compositions and compare.",
    defaultValueProvider = QuickstartCommand.PlanDefaults.class,
    footerHeading = "%nExamples:%n",
    footer = {
      "  scripts/rge quickstart",
      "  scripts/rge quickstart --pretrained --seeds 3 \\",
      "      --out runs/quickstart-pretrained"
    })
public final class QuickstartCommand implements Callable<Integer> {
  @Spec private CommandSpec spec;

  @Option(
      names = "--out",
      paramLabel = "DIR",
      defaultValue = "runs/quickstart",
      description = "Output folder (default: ${DEFAULT-VALUE}).")
  private Path out;

  @Option(
      names = "--seeds",
      paramLabel = "N",
      defaultValue = "1",
      description =
          "Independent runs (seeds 0..N-1); tables show mean ± std (default: ${DEFAULT-VALUE}).")
  private int seeds;

  @Option(names = "--fresh", description = "Start over instead of reusing finished work.")
  private boolean fresh;

  @Option(
      names = "--jobs",
      paramLabel = "N",
      description =
          "Child processes at once: the CPU cores, at most 3 (default: ${DEFAULT-VALUE} here).")
  private int jobs;

  @Option(
      names = "--warmup-steps",
      paramLabel = "STEPS",
      description = "LM-only steps of the reasoning modes (default: ${DEFAULT-VALUE}).")
  private int warmupSteps;

  @Option(
      names = "--joint-steps",
      paramLabel = "STEPS",
      description = "Joint-objective steps after the warm-up (default: ${DEFAULT-VALUE}).")
  private int jointSteps;

  @Option(
      names = "--size",
      paramLabel = "tiny|small|medium",
      description = "RGE-Synth size (default: ${DEFAULT-VALUE}).")
  private String size;

  @Option(
      names = "--joint-lr",
      paramLabel = "LR",
      description =
          "Peak learning rate of the joint phase's own schedule after the warm-up; 0: none, the"
              + " joint phase continues the warm-up's cosine (default: ${DEFAULT-VALUE}).")
  private double jointLr;

  @Mixin private ProgressOption progress;

  @Option(
      names = "--ablations",
      description =
          "Also run the paper's ablations (a longer run): rge without reasoning at inference,"
              + " LM : contrastive = 1 : 1, 1 : 10, 1 : 20 (rge is 1 : 5) and 0 : 1; adds to a finished"
              + " quickstart in the same folder.")
  private boolean ablations;

  @Option(
      names = "--answer-first",
      description =
          "RGE-Synth variant whose oracle rationales state the answer first (where leaking them"
              + " should hurt); use its own --out.")
  private boolean answerFirst;

  @Option(
      names = "--pretrained",
      description =
          "Start every mode from a tiny model first pre-trained to describe RGE-Synth images"
              + " (1,000 LM steps on 3,000 images), as the paper starts from a pretrained VLM, and"
              + " also run rge and the baseline from its vision tower alone; about twice as long"
              + " (50 min for --seeds 3 on 2 cores). Use its own --out.")
  private boolean pretrained;

  @Override
  public Integer call() throws Exception {
    if (seeds < 1) {
      throw new picocli.CommandLine.ParameterException(
          spec.commandLine(), "--seeds must be >= 1, got " + seeds);
    }
    QuickstartPlan d = QuickstartPlan.defaults(seeds, 1);
    QuickstartPlan plan;
    try {
      plan =
          new QuickstartPlan(
              d.seeds(),
              size,
              warmupSteps,
              jointSteps,
              d.batchSize(),
              d.learningRate(),
              d.baselineLearningRate(),
              d.hiddenSize(),
              d.maxNewTokens(),
              jobs,
              jointLr,
              ablations,
              answerFirst,
              pretrained ? Pretraining.DEFAULT : null);
    } catch (IllegalArgumentException e) {
      // Checked before anything runs: options that cannot make a valid run are usage errors.
      throw new picocli.CommandLine.ParameterException(spec.commandLine(), e.getMessage(), e);
    }
    QuickstartResult r = new Quickstart(plan, out, progress.listener()).run(fresh);
    PrintWriter o = spec.commandLine().getOut();
    o.println();
    o.println("Precision@1 on held-out compositions (RGE-Synth):");
    o.println();
    o.print(r.table());
    o.println();
    o.println(
        String.format(
            Locale.ROOT,
            "rge - %s, overall: %+.1f points on held-out compositions, %+.1f on seen ones",
            r.baseline(),
            r.rgeGain(),
            r.rgeSeenDifference()));
    o.println();
    for (String e : r.examples()) {
      o.println("  " + e.replace("**", "").replace("`", "'"));
    }
    o.println();
    o.println("Report: " + r.report());
    o.flush();
    return 0;
  }

  /** Child processes at once when not told: the CPU cores, at most 3. */
  static int defaultJobs() {
    return Math.max(1, Math.min(3, Runtime.getRuntime().availableProcessors()));
  }

  /** The plan's own defaults ({@link QuickstartPlan#defaults}) as the options' defaults. */
  static final class PlanDefaults implements IDefaultValueProvider {
    @Override
    public String defaultValue(ArgSpec arg) {
      if (!(arg instanceof OptionSpec option)) {
        return null;
      }
      QuickstartPlan d = QuickstartPlan.defaults(1, defaultJobs());
      return switch (option.longestName()) {
        case "--jobs" -> String.valueOf(d.jobs());
        case "--warmup-steps" -> String.valueOf(d.warmupSteps());
        case "--joint-steps" -> String.valueOf(d.jointSteps());
        case "--size" -> d.synthSize();
        case "--joint-lr" ->
            BigDecimal.valueOf(d.jointLearningRate()).stripTrailingZeros().toPlainString();
        default -> null;
      };
    }
  }
}
