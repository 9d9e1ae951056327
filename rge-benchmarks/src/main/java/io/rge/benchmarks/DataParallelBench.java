package io.rge.benchmarks;

import io.rge.core.DjlEngine;
import io.rge.data.synth.RgeSynth;
import io.rge.data.synth.SynthLayout;
import io.rge.data.synth.SynthSize;
import io.rge.training.TrainResult;
import io.rge.training.Trainer;
import io.rge.training.config.TrainConfig;
import io.rge.training.metrics.StepMetrics;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Step time of data-parallel training on the CPU: the recipe of {@code
 * configs/train-tiny-synth.yaml} (tiny preset, batch 16, rge and baseline modes, no LM-only
 * warm-up) on one replica with 1 and 2 intra-op threads, and on two replicas ({@code devices: [cpu,
 * cpu]}) with 1 thread each — the same two cores used by two model copies on their own threads
 * instead of by one model's operators. The first {@code warm} steps are left out of the averages.
 * On GPUs the replicas would have a device each; this measures only the overhead of the replicas'
 * threads, copies and gradient sums against the parallelism they recover.
 *
 * <p>Run from the repository root: {@code java -cp ... io.rge.benchmarks.DataParallelBench [steps]
 * [warm]} (RGE-Synth {@code small} is generated into a temporary folder).
 */
public final class DataParallelBench {
  private DataParallelBench() {}

  public static void main(String[] args) throws IOException {
    int steps = args.length > 0 ? Integer.parseInt(args[0]) : 12;
    int warm = args.length > 1 ? Integer.parseInt(args[1]) : 3;
    Path temp = Files.createTempDirectory("rge-dp-bench");
    try {
      Path synth = temp.resolve("synth");
      RgeSynth.generate(synth, 0, SynthSize.SMALL, false);
      DjlEngine.get();
      System.out.printf(
          "%-9s %-12s %7s %9s %9s %10s%n",
          "mode", "devices", "threads", "step ms", "gen ms", "fwd+bwd ms");
      for (String mode : List.of("rge", "baseline")) {
        report(mode, "[cpu]", 1, run(synth, temp, mode, "[cpu]", 1, steps), warm);
        report(mode, "[cpu]", 2, run(synth, temp, mode, "[cpu]", 2, steps), warm);
        report(mode, "[cpu, cpu]", 1, run(synth, temp, mode, "[cpu, cpu]", 1, steps), warm);
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
      Path synth, Path temp, String mode, String devices, int threads, int steps)
      throws IOException {
    SynthLayout layout = new SynthLayout(synth);
    Path out = Files.createTempDirectory(temp, mode + "-");
    List<String> overrides = new ArrayList<>();
    overrides.add("data.train_root=" + layout.trainRoot());
    overrides.add("data.rationales=" + layout.rationaleRoot());
    overrides.add("data.images=[" + layout.imageRoot() + "]");
    overrides.add("output=" + out);
    overrides.add("objective.mode=" + mode);
    overrides.add("objective.lm_warmup_steps=0");
    overrides.add("schedule.total_steps=" + steps);
    overrides.add("checkpoint.every=" + steps);
    overrides.add("logging.progress_bar=false");
    overrides.add("threads=" + threads);
    overrides.add("devices=" + devices);
    TrainConfig config = TrainConfig.load(Path.of("configs/train-tiny-synth.yaml"), overrides);
    TrainResult result = new Trainer(config, true).run();
    return result.metrics();
  }

  private static void report(
      String mode, String devices, int threads, List<StepMetrics> metrics, int warm) {
    List<StepMetrics> timed = metrics.subList(Math.min(warm, metrics.size()), metrics.size());
    double step = timed.stream().mapToDouble(StepMetrics::seconds).average().orElse(Double.NaN);
    double gen =
        timed.stream().mapToDouble(StepMetrics::generationSeconds).average().orElse(Double.NaN);
    double fwd =
        timed.stream()
            .mapToDouble(StepMetrics::forwardBackwardSeconds)
            .average()
            .orElse(Double.NaN);
    System.out.printf(
        "%-9s %-12s %7d %9.0f %9.0f %10.0f%n",
        mode, devices, threads, 1000 * step, 1000 * gen, 1000 * fwd);
  }
}
