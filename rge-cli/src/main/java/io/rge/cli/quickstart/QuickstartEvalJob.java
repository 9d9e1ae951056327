package io.rge.cli.quickstart;

import io.rge.cli.Cli;
import io.rge.core.DeviceChoice;
import io.rge.core.RgeModel;
import io.rge.data.synth.RationaleAccuracy;
import io.rge.data.synth.SynthLayout;
import io.rge.eval.EvalData;
import io.rge.eval.EvalReport;
import io.rge.eval.EvalSettings;
import io.rge.eval.MmebEvaluator;
import io.rge.eval.report.PredictionsJsonl;
import io.rge.training.Trainer;
import io.rge.training.checkpoint.CheckpointStore;
import io.rge.training.objective.ObjectiveMode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.Callable;
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

  /** Queries per generation batch and candidates per forward pass (configs/eval-synth.yaml too). */
  static final int BATCH = 64;

  @Option(
      names = "--run",
      paramLabel = "DIR",
      required = true,
      description = "The run's output folder.")
  private Path run;

  @Option(
      names = "--checkpoints",
      paramLabel = "DIR",
      description = "The checkpoints to evaluate (default: the run's own checkpoints folder).")
  private Path checkpointsDir;

  @Option(
      names = "--no-reasoning",
      description = "Embed queries as prompt + <emb>, without a rationale, whatever the mode.")
  private boolean noReasoning;

  @Option(
      names = "--synth",
      paramLabel = "DIR",
      required = true,
      description = "The RGE-Synth folder.")
  private Path synth;

  @Option(
      names = "--mode",
      paramLabel = "MODE",
      required = true,
      description = "rge, baseline or oracle-leak.")
  private String mode;

  @Option(
      names = "--seed",
      paramLabel = "N",
      required = true,
      description = "The run's seed (for the record).")
  private long seed;

  @Option(
      names = "--max-new-tokens",
      paramLabel = "N",
      defaultValue = "16",
      description = "Rationale token limit (default: ${DEFAULT-VALUE}).")
  private int maxNewTokens;

  @Override
  public Integer call() throws IOException {
    ObjectiveMode objective = ObjectiveMode.parse(mode);
    // Evaluation reasons with self-generated rationales, except for the baseline and when told not
    // to (the "no reasoning at inference" ablation).
    boolean reasoning = objective != ObjectiveMode.BASELINE && !noReasoning;
    List<Path> checkpoints =
        lastTwo(checkpointsDir != null ? checkpointsDir : run.resolve(Trainer.CHECKPOINTS));
    Path last = checkpoints.get(checkpoints.size() - 1);
    SplitScores lastSeen;
    SplitScores lastHeldOut;
    try (RgeModel model = RgeModel.load(last, DeviceChoice.CPU)) {
      MmebEvaluator evaluator = new MmebEvaluator(model);
      lastSeen = evaluate(evaluator, last, true, reasoning);
      lastHeldOut = evaluate(evaluator, last, false, reasoning);
    }
    SplitScores best = lastSeen;
    SplitScores selected = lastHeldOut;
    if (checkpoints.size() == 2) {
      Path previous = checkpoints.get(0);
      try (RgeModel model = RgeModel.load(previous, DeviceChoice.CPU)) {
        MmebEvaluator evaluator = new MmebEvaluator(model);
        SplitScores previousSeen = evaluate(evaluator, previous, true, reasoning);
        if (choosesPrevious(lastSeen.overall(), previousSeen.overall())) {
          best = previousSeen;
          selected = evaluate(evaluator, previous, false, reasoning);
        }
      }
    }
    new ModeScores(run.getFileName().toString(), seed, selected, lastHeldOut, best).write(run);
    LOG.info(
        "{}: held-out overall {} (step {}, chosen on seen compositions), last {}",
        objective.id(),
        selected.overall(),
        selected.step(),
        lastHeldOut.overall());
    return 0;
  }

  /**
   * The checkpoint rule: of the last two checkpoints, the previous one is chosen only when its
   * overall P@1 on seen compositions is strictly higher (the later one wins ties, and a last score
   * that is not a number loses).
   */
  static boolean choosesPrevious(double lastSeen, double previousSeen) {
    return !(lastSeen >= previousSeen);
  }

  private SplitScores evaluate(
      MmebEvaluator evaluator, Path checkpoint, boolean seen, boolean reasoning)
      throws IOException {
    long step = CheckpointStore.stepOf(checkpoint);
    String split = seen ? QuickstartLayout.SEEN : QuickstartLayout.HELD_OUT;
    Path out = QuickstartLayout.evalDir(run, step, split);
    EvalSettings settings =
        EvalSettings.builder(out)
            .reasoning(reasoning)
            .maxNewTokens(maxNewTokens)
            .queryBatchSize(BATCH)
            .candidateBatchSize(BATCH)
            .modelLabel(mode + " step " + step)
            .build();
    EvalReport report = evaluator.evaluate(EvalData.synth(synth, seen), settings);
    // The rationales the evaluation generated, checked against the truth (not generated again).
    RationaleAccuracy rationale =
        reasoning
            ? RationaleScoring.score(
                new SynthLayout(synth), seen, PredictionsJsonl.read(report.predictions()))
            : null;
    return SplitScores.of(step, split, report.scores(), rationale);
  }

  /** The last two checkpoint folders by step, oldest first. */
  static List<Path> lastTwo(Path checkpoints) throws IOException {
    List<Path> newestFirst = new CheckpointStore(checkpoints).list();
    if (newestFirst.isEmpty()) {
      throw new IOException("no checkpoints in " + checkpoints);
    }
    List<Path> out = new ArrayList<>(newestFirst.subList(0, Math.min(2, newestFirst.size())));
    Collections.reverse(out);
    return out;
  }

  public static void main(String[] args) {
    System.exit(Cli.run(new QuickstartEvalJob(), args));
  }
}
