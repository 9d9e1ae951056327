package io.rge.benchmarks;

import io.rge.core.DeviceChoice;
import io.rge.core.DjlEngine;
import io.rge.core.RgeModel;
import io.rge.core.generation.GeneratedQuery;
import io.rge.core.generation.GenerationRequest;
import io.rge.core.generation.GenerationSettings;
import io.rge.core.generation.GenerationSettings.Batching;
import io.rge.core.generation.LengthBatches;
import io.rge.core.precision.ComputePrecision;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.function.DoubleSupplier;

/**
 * Rationale generation on a reasoning workload: continuous against static batching, and the shared
 * prefix on against off, on the tiny fixture model and the wider CPU model of {@link
 * ModelThroughputBench}.
 *
 * <p>The workload: {@code prompts} text prompts (by default 8 × {@code slots}, the queries
 * evaluation gives one generate call) that share a 24-token prefix (a system prompt and an
 * instruction) and continue with 8–24 tokens of their own; each row writes a forced number of
 * tokens between 8 and 128 (its {@link GenerationRequest#tokenLimit()}; the random models rarely
 * write {@code <emb>} on their own), drawn uniformly or log-uniformly (most rationales short, a few
 * at the limit). Greedy decoding, {@code slots} rows at a time. The four cases run in turn within
 * each round, so their ratios see the same load; tokens/s counts written tokens.
 *
 * <p>Besides wall time, each case's process CPU time is reported (on a shared machine the wall
 * clock also counts other processes), and the schedule's ceiling: the decoding steps static
 * batching takes (each batch runs to its longest row) over those of a perfectly packed continuous
 * schedule. That ratio is what continuous batching gains where a step costs the same whatever its
 * rows (a GPU, memory-bound on the weights); on a CPU a step's cost grows with its rows, and static
 * batching drops finished rows too, so the gain is smaller.
 *
 * <p>Run: {@code java -cp ... io.rge.benchmarks.GenerationBench [--tiny DIR] [--repeats N]
 * [--threads 1,2] [--prompts N] [--slots N] [--tiny-only]}; {@code --shape CONFIG.json --device gpu
 * [--precision bf16]} runs {@link AtScale} instead.
 */
public final class GenerationBench {
  private static final int PREFIX = 24;
  private static final int MIN_TOKENS = 8;
  private static final int MAX_TOKENS = 128;

  /** How the forced rationale lengths are drawn. */
  enum Lengths {
    UNIFORM("uniform 8-128"),
    LOG_UNIFORM("log-uniform 8-128"),
    AT_LIMIT("all 128");

    private final String label;

    Lengths(String label) {
      this.label = label;
    }

    int draw(SplittableRandom random) {
      double u = random.nextDouble();
      return switch (this) {
        case UNIFORM -> MIN_TOKENS + (int) Math.round(u * (MAX_TOKENS - MIN_TOKENS));
        case LOG_UNIFORM ->
            (int) Math.round(MIN_TOKENS * Math.pow((double) MAX_TOKENS / MIN_TOKENS, u));
        case AT_LIMIT -> MAX_TOKENS;
      };
    }

    @Override
    public String toString() {
      return label;
    }
  }

  private GenerationBench() {}

  public static void main(String[] args) throws IOException {
    Path tiny = Path.of("rge-test-fixtures/src/main/resources/fixtures/qwen25vl-tiny");
    int repeats = 3;
    int[] threads = {2};
    int prompts = -1;
    int slots = 8;
    Path shape = null;
    boolean wide = true;
    DeviceChoice device = DeviceChoice.CPU;
    ComputePrecision precision = ComputePrecision.FP32;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--tiny" -> tiny = Path.of(args[++i]);
        case "--repeats" -> repeats = Integer.parseInt(args[++i]);
        case "--threads" ->
            threads = Arrays.stream(args[++i].split(",")).mapToInt(Integer::parseInt).toArray();
        case "--prompts" -> prompts = Integer.parseInt(args[++i]);
        case "--slots" -> slots = Integer.parseInt(args[++i]);
        case "--shape" -> shape = Path.of(args[++i]);
        case "--tiny-only" -> wide = false;
        case "--device" -> device = DeviceChoice.parse(args[++i]);
        case "--precision" -> precision = ComputePrecision.parse(args[++i]);
        default -> throw new IllegalArgumentException("unknown argument " + args[i]);
      }
    }
    DjlEngine.get();
    if (shape != null) {
      AtScale.run(shape, device, precision);
      return;
    }
    prompts = prompts < 0 ? 8 * slots : prompts;
    ModelThroughputBench timing = new ModelThroughputBench(repeats, threads);
    System.out.printf(
        Locale.ROOT,
        "%d prompts (%d-token shared prefix), forced rationales %d-%d tokens, %d slots; median of"
            + " %d runs (min-max)%n",
        prompts,
        PREFIX,
        MIN_TOKENS,
        MAX_TOKENS,
        slots,
        repeats);
    try (RgeModel model = RgeModel.load(tiny, DeviceChoice.CPU)) {
      run("tiny (qwen25vl-tiny fixture)", model, timing, prompts, slots);
    }
    if (!wide) {
      return;
    }
    try (RgeModel model = ModelThroughputBench.wide()) {
      run("wide (hidden 512 x 8 layers)", model, timing, prompts, slots);
    }
  }

  private static void run(
      String label, RgeModel model, ModelThroughputBench timing, int prompts, int slots) {
    System.out.printf(Locale.ROOT, "%n-- %s --%n", label);
    for (Lengths lengths : new Lengths[] {Lengths.UNIFORM, Lengths.LOG_UNIFORM}) {
      List<GenerationRequest> requests = workload(model, prompts, lengths, new SplittableRandom(3));
      GenerationSettings continuous = GenerationSettings.greedy(MAX_TOKENS, slots);
      GenerationSettings[] cases = {
        continuous.withBatching(Batching.STATIC).withSharedPrefix(false),
        continuous.withSharedPrefix(false),
        continuous,
        continuous.withBatching(Batching.STATIC)
      };
      String[] names = {
        "static, prefix off (before)",
        "continuous, prefix off",
        "continuous, prefix shared",
        "static, prefix shared"
      };
      int[] written = new int[1];
      List<List<Double>> cpu = new ArrayList<>();
      DoubleSupplier[] kinds = new DoubleSupplier[cases.length];
      for (int c = 0; c < cases.length; c++) {
        GenerationSettings s = cases[c];
        List<Double> cpuOfCase = new ArrayList<>();
        cpu.add(cpuOfCase);
        kinds[c] =
            () -> {
              long c0 = processCpuNanos();
              long t0 = System.nanoTime();
              List<GeneratedQuery> out = model.generate(requests, s);
              double seconds = (System.nanoTime() - t0) / 1e9;
              cpuOfCase.add((processCpuNanos() - c0) / 1e9);
              written[0] = out.stream().mapToInt(q -> q.tokens().length).sum();
              return seconds;
            };
      }
      ModelThroughputBench.Stats[] stats = timing.measureInTurn(kinds);
      System.out.printf(
          Locale.ROOT,
          "  lengths %s: %d tokens written; decoding steps static %d, perfectly packed %d: ceiling"
              + " %.2fx%n",
          lengths,
          written[0],
          staticSteps(requests, slots),
          packedSteps(requests, slots),
          (double) staticSteps(requests, slots) / packedSteps(requests, slots));
      int threadCounts = stats.length / cases.length;
      for (int i = 0; i < stats.length; i++) {
        stats[i].report(names[i % cases.length], written[0], "tokens/s");
      }
      for (int t = 0; t < threadCounts; t++) {
        double[] cpuMedian = new double[cases.length];
        for (int c = 0; c < cases.length; c++) {
          cpuMedian[c] = medianAfterWarmUp(cpu.get(c), t, threadCounts);
        }
        double before = stats[t * cases.length].median();
        System.out.printf(
            Locale.ROOT,
            "  %d thr: continuous / static %.2fx wall, %.2fx CPU (prefix off); shared prefix on /"
                + " off %.2fx wall, %.2fx CPU (continuous); both / before %.2fx wall, %.2fx CPU%n",
            stats[t * cases.length].threads(),
            before / stats[t * cases.length + 1].median(),
            cpuMedian[0] / cpuMedian[1],
            stats[t * cases.length + 1].median() / stats[t * cases.length + 2].median(),
            cpuMedian[1] / cpuMedian[2],
            before / stats[t * cases.length + 2].median(),
            cpuMedian[0] / cpuMedian[2]);
      }
    }
  }

  /** Decoding steps of static batching: each batch of similar prompts runs to its longest row. */
  private static long staticSteps(List<GenerationRequest> requests, int slots) {
    int[] promptLengths = requests.stream().mapToInt(r -> r.promptIds().length).toArray();
    long steps = 0;
    for (int[] batch : LengthBatches.of(promptLengths, slots)) {
      steps += Arrays.stream(batch).map(i -> rowSteps(requests.get(i))).max().orElse(0);
    }
    return steps;
  }

  /** Decoding steps with every slot busy until the rows run out: continuous batching's bound. */
  private static long packedSteps(List<GenerationRequest> requests, int slots) {
    long rowSteps = requests.stream().mapToLong(GenerationBench::rowSteps).sum();
    return (rowSteps + slots - 1) / slots;
  }

  /** A row's steps: its forced tokens (the first comes from the prefill), then {@code <emb>}. */
  private static int rowSteps(GenerationRequest request) {
    return request.tokenLimit() + 1;
  }

  /**
   * The median of one thread count's runs of a case, recorded round by round (the first round is
   * {@link ModelThroughputBench#measureInTurn}'s warm-up) and thread count by thread count.
   */
  private static double medianAfterWarmUp(List<Double> runs, int thread, int threadCounts) {
    List<Double> mine = new ArrayList<>();
    for (int i = threadCounts + thread; i < runs.size(); i += threadCounts) {
      mine.add(runs.get(i));
    }
    double[] sorted = mine.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    return sorted[sorted.length / 2];
  }

  private static long processCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }

  /** Prompts with a common prefix and forced rationale lengths drawn from {@code lengths}. */
  static List<GenerationRequest> workload(
      RgeModel model, int prompts, Lengths lengths, SplittableRandom random) {
    int[] prefix = ModelThroughputBench.randomTokens(model.config(), PREFIX, random);
    List<GenerationRequest> out = new ArrayList<>(prompts);
    for (int i = 0; i < prompts; i++) {
      int[] own = ModelThroughputBench.randomTokens(model.config(), 8 + random.nextInt(17), random);
      int[] ids = Arrays.copyOf(prefix, PREFIX + own.length);
      System.arraycopy(own, 0, ids, PREFIX, own.length);
      out.add(new GenerationRequest(ids, List.of(), lengths.draw(random)));
    }
    return out;
  }
}
