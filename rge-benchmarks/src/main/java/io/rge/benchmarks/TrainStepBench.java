package io.rge.benchmarks;

import ai.djl.pytorch.jni.JniUtils;
import io.rge.core.DjlEngine;
import io.rge.core.generation.GenerationSettings.Batching;
import io.rge.data.synth.RgeSynth;
import io.rge.data.synth.SynthSize;
import io.rge.training.TrainResult;
import io.rge.training.Trainer;
import io.rge.training.config.TrainConfig;
import io.rge.training.metrics.StepMetrics;
import io.rge.training.objective.ObjectiveMode;
import io.rge.training.objective.ObjectiveSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Training-step throughput of the tiny preset on RGE-Synth: steps per second and where a step's
 * time goes (rationale generation, forward/backward passes, the rest: data, images, optimizer) for
 * each objective mode and for 1 and 2 PyTorch intra-op threads, plus the LM-only warm-up step. Each
 * case is a {@link Trainer} run from scratch with the recipe of {@code
 * configs/train-tiny-synth.yaml} (batch 16, 16 new tokens at most); the first {@code warm} steps
 * are left out of the averages. Joint steps start without warm-up, so an untrained model writes the
 * full 16 tokens: the slowest case of generation. The {@code rge} mode, the one that generates,
 * runs with static and with continuous generation ({@code objective.generation_batching}), the
 * share of its step spent generating shown for each. With the recipe's 32 generation slots a step's
 * 16 queries all fit at once and the two schedules are the same; {@code slots} below 16 lets
 * continuous batching refill.
 *
 * <p>Run: {@code java -cp ... io.rge.benchmarks.TrainStepBench [synthRoot] [steps] [warm] [threads]
 * [slots]} ({@code threads} e.g. {@code 1,2}, the default; {@code slots} the generation batch size,
 * default 32); without a folder (or with {@code -}), RGE-Synth {@code small} is generated into a
 * temporary one.
 */
public final class TrainStepBench {
  private TrainStepBench() {}

  public static void main(String[] args) throws IOException {
    Path temp = Files.createTempDirectory("rge-train-bench");
    try {
      Path synth;
      if (args.length > 0 && !args[0].equals("-")) {
        synth = Path.of(args[0]);
      } else {
        synth = temp.resolve("synth");
        RgeSynth.generate(synth, 0, SynthSize.SMALL, false);
      }
      int steps = args.length > 1 ? Integer.parseInt(args[1]) : 30;
      int warm = args.length > 2 ? Integer.parseInt(args[2]) : 5;
      int[] threadCounts =
          args.length > 3
              ? Arrays.stream(args[3].split(",")).mapToInt(Integer::parseInt).toArray()
              : new int[] {1, 2};
      int slots = args.length > 4 ? Integer.parseInt(args[4]) : 32;
      DjlEngine.get();
      System.out.printf("generation: %d slots, batch 16 rows%n", slots);
      System.out.printf(
          "%-16s %-8s %7s %9s %9s %6s %10s %9s %9s%n",
          "mode",
          "threads",
          "steps/s",
          "step ms",
          "gen ms",
          "gen %",
          "fwd+bwd ms",
          "other ms",
          "rows/s");
      for (int threads : threadCounts) {
        for (ObjectiveMode mode : ObjectiveMode.values()) {
          if (mode == ObjectiveMode.RGE) {
            for (Batching batching : Batching.values()) {
              report(
                  mode.id() + " " + batching.id(),
                  threads,
                  run(synth, temp, mode, batching, slots, threads, steps, 0),
                  warm);
            }
          } else {
            report(
                mode.id(),
                threads,
                run(synth, temp, mode, Batching.CONTINUOUS, slots, threads, steps, 0),
                warm);
          }
        }
        report(
            "lm-only",
            threads,
            run(synth, temp, ObjectiveMode.RGE, Batching.CONTINUOUS, slots, threads, steps, steps),
            warm);
      }
    } finally {
      try (Stream<Path> paths = Files.walk(temp)) {
        for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
          Files.deleteIfExists(p);
        }
      }
    }
  }

  private static List<StepMetrics> run(
      Path synth,
      Path temp,
      ObjectiveMode mode,
      Batching batching,
      int slots,
      int threads,
      int steps,
      int lmWarmup)
      throws IOException {
    JniUtils.setNumThreads(threads);
    Path out = Files.createTempDirectory(temp, mode.id() + "-" + threads + "-");
    // configs/train-tiny-synth.yaml's recipe, without its schedule warm-up, with this case's
    // LM-only steps, generation slots and schedule, and no checkpoint or log line before the end.
    TrainConfig recipe = TrainConfig.tinySynth(synth, out, mode, steps);
    ObjectiveSettings s = recipe.objectiveSettings();
    TrainConfig config =
        recipe.toBuilder()
            .objective(
                new TrainConfig.Objective(
                    new ObjectiveSettings(
                        s.mode(),
                        s.lmWeight(),
                        s.contrastiveWeight(),
                        s.temperature(),
                        s.maxNewTokens(),
                        s.hardNegatives(),
                        slots,
                        batching),
                    lmWarmup))
            .schedule(new TrainConfig.Schedule(0, (long) steps, null, 0.1, null))
            .threads(threads)
            .maxConsecutiveSkips(steps)
            .checkpoint(new TrainConfig.Checkpoint(steps, 1))
            .logging(new TrainConfig.Logging(steps, false, null))
            .build();
    TrainResult result = new Trainer(config).run();
    return result.metrics();
  }

  private static void report(String label, int threads, List<StepMetrics> metrics, int warm) {
    List<StepMetrics> measured = metrics.subList(Math.min(warm, metrics.size()), metrics.size());
    double step = measured.stream().mapToDouble(StepMetrics::seconds).average().orElse(0);
    double gen = measured.stream().mapToDouble(StepMetrics::generationSeconds).average().orElse(0);
    double fb =
        measured.stream().mapToDouble(StepMetrics::forwardBackwardSeconds).average().orElse(0);
    double rows = measured.stream().mapToDouble(StepMetrics::examplesPerSecond).average().orElse(0);
    System.out.printf(
        "%-16s %-8d %7.2f %9.1f %9.1f %6.1f %10.1f %9.1f %9.1f%n",
        label,
        threads,
        1 / step,
        step * 1e3,
        gen * 1e3,
        100 * gen / step,
        fb * 1e3,
        (step - gen - fb) * 1e3,
        rows);
  }
}
