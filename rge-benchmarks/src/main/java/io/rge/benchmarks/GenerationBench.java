package io.rge.benchmarks;

import io.rge.core.DeviceChoice;
import io.rge.core.DjlEngine;
import io.rge.core.RgeModel;
import io.rge.core.generation.GeneratedQuery;
import io.rge.core.generation.GenerationRequest;
import io.rge.core.generation.GenerationSettings;
import io.rge.core.generation.GenerationSettings.Batching;
import java.io.IOException;
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
 * <p>The workload: {@code prompts} text prompts that share a 24-token prefix (a system prompt and
 * an instruction) and continue with 8–24 tokens of their own; each row writes a forced number of
 * tokens between 8 and 128 (its {@link GenerationRequest#tokenLimit()}; the random models rarely
 * write {@code <emb>} on their own), drawn uniformly or log-uniformly (most rationales short, a few
 * at the limit). Greedy decoding, {@code slots} rows at a time. The four cases run in turn within
 * each round, so their ratios see the same load; tokens/s counts written tokens.
 *
 * <p>Run: {@code java -cp ... io.rge.benchmarks.GenerationBench [--tiny DIR] [--repeats N]
 * [--threads 1,2] [--prompts N] [--slots N] [--tiny-only]}; {@code --shape CONFIG.json --device
 * gpu} runs {@link AtScale} instead.
 */
public final class GenerationBench {
  private static final int PREFIX = 24;
  private static final int MIN_TOKENS = 8;
  private static final int MAX_TOKENS = 128;

  private GenerationBench() {}

  public static void main(String[] args) throws IOException {
    Path tiny = Path.of("rge-core/src/test/resources/fixtures/qwen25vl-tiny");
    int repeats = 3;
    int[] threads = {2};
    int prompts = 32;
    int slots = 8;
    Path shape = null;
    boolean wide = true;
    DeviceChoice device = DeviceChoice.CPU;
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
        default -> throw new IllegalArgumentException("unknown argument " + args[i]);
      }
    }
    DjlEngine.get();
    if (shape != null) {
      AtScale.run(shape, device);
      return;
    }
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
    for (boolean logUniform : new boolean[] {false, true}) {
      List<GenerationRequest> requests =
          workload(model, prompts, logUniform, new SplittableRandom(3));
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
      DoubleSupplier[] kinds = new DoubleSupplier[cases.length];
      for (int c = 0; c < cases.length; c++) {
        GenerationSettings s = cases[c];
        kinds[c] =
            () -> {
              long t0 = System.nanoTime();
              List<GeneratedQuery> out = model.generate(requests, s);
              written[0] = out.stream().mapToInt(q -> q.tokens().length).sum();
              return (System.nanoTime() - t0) / 1e9;
            };
      }
      ModelThroughputBench.Stats[] stats = timing.measureInTurn(kinds);
      System.out.printf(
          Locale.ROOT,
          "  lengths %s: %d tokens written%n",
          logUniform ? "log-uniform" : "uniform",
          written[0]);
      for (int i = 0; i < stats.length; i++) {
        stats[i].report(names[i % cases.length], written[0], "tokens/s");
      }
      for (int t = 0; t < stats.length / cases.length; t++) {
        double before = stats[t * cases.length].median();
        System.out.printf(
            Locale.ROOT,
            "  %d thr: continuous / static %.2fx (prefix off), shared prefix on / off %.2fx"
                + " (continuous), both / before %.2fx%n",
            stats[t * cases.length].threads(),
            before / stats[t * cases.length + 1].median(),
            stats[t * cases.length + 1].median() / stats[t * cases.length + 2].median(),
            before / stats[t * cases.length + 2].median());
      }
    }
  }

  /** Prompts with a common prefix and forced rationale lengths in [8, 128]. */
  static List<GenerationRequest> workload(
      RgeModel model, int prompts, boolean logUniform, SplittableRandom random) {
    int[] prefix = ModelThroughputBench.randomTokens(model.config(), PREFIX, random);
    List<GenerationRequest> out = new ArrayList<>(prompts);
    for (int i = 0; i < prompts; i++) {
      int[] own = ModelThroughputBench.randomTokens(model.config(), 8 + random.nextInt(17), random);
      int[] ids = Arrays.copyOf(prefix, PREFIX + own.length);
      System.arraycopy(own, 0, ids, PREFIX, own.length);
      double u = random.nextDouble();
      int tokens =
          logUniform
              ? (int) Math.round(MIN_TOKENS * Math.pow((double) MAX_TOKENS / MIN_TOKENS, u))
              : MIN_TOKENS + (int) Math.round(u * (MAX_TOKENS - MIN_TOKENS));
      out.add(new GenerationRequest(ids, List.of(), tokens));
    }
    return out;
  }
}
