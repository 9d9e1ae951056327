package io.rge.eval.quickstart;

import io.rge.core.DeviceChoice;
import io.rge.core.RgeModel;
import io.rge.core.cli.Cli;
import io.rge.eval.EvalData;
import io.rge.eval.EvalReport;
import io.rge.eval.EvalSettings;
import io.rge.eval.MmebEvaluator;
import io.rge.training.Trainer;
import io.rge.training.objective.ObjectiveMode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Evaluates one quickstart run (a child process of the quickstart): its last two checkpoints on the
 * seen-compositions split, then the better one and the last one on the held-out split.
 */
@Command(
    name = "quickstart-eval",
    mixinStandardHelpOptions = true,
    description = "Evaluate one quickstart run's checkpoints on RGE-Synth (used by quickstart).")
public final class QuickstartEvalJob implements Callable<Integer> {
  private static final Logger LOG = LoggerFactory.getLogger(QuickstartEvalJob.class);

  @Option(names = "--run", required = true, description = "The run's output folder.")
  private Path run;

  @Option(names = "--synth", required = true, description = "The RGE-Synth folder.")
  private Path synth;

  @Option(names = "--mode", required = true, description = "rge, baseline or oracle-leak.")
  private String mode;

  @Option(names = "--seed", required = true, description = "The run's seed (for the record).")
  private long seed;

  @Option(names = "--max-new-tokens", defaultValue = "16", description = "Rationale limit.")
  private int maxNewTokens;

  @Override
  public Integer call() throws IOException {
    ObjectiveMode objective = ObjectiveMode.parse(mode);
    // Evaluation always reasons with self-generated rationales, except for the baseline.
    boolean reasoning = objective != ObjectiveMode.BASELINE;
    List<Path> checkpoints = lastTwo(run.resolve(Trainer.CHECKPOINTS));
    Path last = checkpoints.get(checkpoints.size() - 1);
    SplitScores best = null;
    Path bestDir = null;
    for (Path c : checkpoints) {
      SplitScores seen = evaluate(c, true, reasoning);
      if (best == null || seen.overall() >= best.overall()) {
        best = seen;
        bestDir = c;
      }
    }
    SplitScores lastHeldOut = evaluate(last, false, reasoning);
    SplitScores selected = bestDir.equals(last) ? lastHeldOut : evaluate(bestDir, false, reasoning);
    new ModeScores(objective.id(), seed, selected, lastHeldOut, best).write(run);
    LOG.info(
        "{}: held-out overall {} (step {}, chosen on seen compositions), last {}",
        objective.id(),
        selected.overall(),
        selected.step(),
        lastHeldOut.overall());
    return 0;
  }

  private SplitScores evaluate(Path checkpoint, boolean seen, boolean reasoning)
      throws IOException {
    long step = step(checkpoint);
    String split = seen ? "seen" : "held-out";
    Path out = run.resolve("eval").resolve(checkpoint.getFileName().toString()).resolve(split);
    try (RgeModel model = RgeModel.load(checkpoint, DeviceChoice.CPU)) {
      EvalSettings settings =
          EvalSettings.builder(out)
              .reasoning(reasoning)
              .maxNewTokens(maxNewTokens)
              .queryBatchSize(64)
              .candidateBatchSize(64)
              .modelLabel(mode + " step " + step)
              .progress(false)
              .build();
      EvalReport report = new MmebEvaluator(model).evaluate(EvalData.synth(synth, seen), settings);
      return SplitScores.of(step, split, report.scores());
    }
  }

  /** The last two checkpoint folders ({@code step-N}) by step, oldest first. */
  static List<Path> lastTwo(Path checkpoints) throws IOException {
    List<Path> all = new ArrayList<>();
    try (Stream<Path> s = Files.list(checkpoints)) {
      s.filter(p -> p.getFileName().toString().matches("step-\\d+"))
          .sorted(Comparator.comparingLong(QuickstartEvalJob::step))
          .forEach(all::add);
    }
    if (all.isEmpty()) {
      throw new IOException("no checkpoints in " + checkpoints);
    }
    return all.subList(Math.max(0, all.size() - 2), all.size());
  }

  static long step(Path checkpoint) {
    return Long.parseLong(checkpoint.getFileName().toString().substring("step-".length()));
  }

  public static void main(String[] args) {
    System.exit(Cli.run(new QuickstartEvalJob(), args));
  }
}
