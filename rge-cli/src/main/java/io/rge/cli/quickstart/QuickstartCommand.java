package io.rge.cli.quickstart;

import io.rge.cli.TerminalProgress;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code rge quickstart}: the whole method in miniature, on a CPU, in about ten minutes. */
@Command(
    name = "quickstart",
    mixinStandardHelpOptions = true,
    description =
        "Generate RGE-Synth, train a tiny Qwen2.5-VL from scratch in three modes (rge, baseline,"
            + " oracle-leak), evaluate each on held-out compositions and compare.")
public final class QuickstartCommand implements Callable<Integer> {
  @Spec private CommandSpec spec;

  @Option(
      names = "--out",
      defaultValue = "runs/quickstart",
      description = "Output folder (default: ${DEFAULT-VALUE}).")
  private Path out;

  @Option(
      names = "--seeds",
      defaultValue = "1",
      description = "Independent runs (seeds 0..N-1); tables show mean ± std (default: 1).")
  private int seeds;

  @Option(names = "--fresh", description = "Start over instead of reusing finished work.")
  private boolean fresh;

  @Option(
      names = "--jobs",
      description = "Child processes at once (default: the number of CPU cores, at most 3).")
  private Integer jobs;

  @Option(names = "--warmup-steps", description = "LM-only steps of the reasoning modes.")
  private Integer warmupSteps;

  @Option(names = "--joint-steps", description = "Joint-objective steps after the warm-up.")
  private Integer jointSteps;

  @Option(names = "--size", description = "RGE-Synth size: tiny, small, medium.")
  private String size;

  @Option(
      names = "--joint-lr",
      description =
          "Peak learning rate of the joint phase's own schedule after the warm-up; 0: none, the"
              + " joint phase continues the warm-up's cosine (default: 5e-4).")
  private Double jointLr;

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
    int parallel =
        jobs != null ? jobs : Math.max(1, Math.min(3, Runtime.getRuntime().availableProcessors()));
    QuickstartPlan d = QuickstartPlan.defaults(seeds, parallel);
    QuickstartPlan plan;
    try {
      plan =
          new QuickstartPlan(
              d.seeds(),
              size != null ? size : d.synthSize(),
              warmupSteps != null ? warmupSteps : d.warmupSteps(),
              jointSteps != null ? jointSteps : d.jointSteps(),
              d.batchSize(),
              d.learningRate(),
              d.baselineLearningRate(),
              d.hiddenSize(),
              d.maxNewTokens(),
              parallel,
              jointLr != null ? jointLr : d.jointLearningRate(),
              ablations,
              answerFirst,
              pretrained ? Pretraining.DEFAULT : null);
    } catch (IllegalArgumentException e) {
      // Checked before anything runs: options that cannot make a valid run are usage errors.
      throw new picocli.CommandLine.ParameterException(spec.commandLine(), e.getMessage(), e);
    }
    QuickstartResult r = new Quickstart(plan, out, TerminalProgress.STDERR).run(fresh);
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
}
