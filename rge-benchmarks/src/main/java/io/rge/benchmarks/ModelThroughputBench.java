package io.rge.benchmarks;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.jni.JniUtils;
import io.rge.core.DeviceChoice;
import io.rge.core.DjlEngine;
import io.rge.core.LoadOptions;
import io.rge.core.MultimodalInput;
import io.rge.core.RgeModel;
import io.rge.core.generation.GeneratedQuery;
import io.rge.core.generation.GenerationRequest;
import io.rge.core.generation.GenerationSettings;
import io.rge.core.preset.TinyOptions;
import io.rge.core.preset.TinyPreset;
import io.rge.core.qwen25vl.KvCache;
import io.rge.core.qwen25vl.ModelInput;
import io.rge.core.qwen25vl.ModelOutput;
import io.rge.core.qwen25vl.OutputRequest;
import io.rge.core.qwen25vl.Qwen25VLConfig;
import io.rge.core.qwen25vl.Qwen25VLModel;
import io.rge.core.qwen25vl.RandomWeights;
import io.rge.core.qwen25vl.SpecialTokenIds;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.DoubleSupplier;

/**
 * Inference throughput of the Qwen2.5-VL model on the CPU: prefill tokens/s, 64-token greedy
 * decoding with the KV cache against recomputing the whole sequence at every step, batched RGE
 * generation, and candidate embeddings/s — on the qwen25vl-tiny fixture model and on a wider
 * CPU-sized random model (text hidden 512, 8 layers, 8 heads, 2 key/value heads, intermediate 1408,
 * vocabulary 16384; vision hidden 256, depth 4, 4 heads), each with 1 and 2 PyTorch intra-op
 * threads.
 *
 * <p>Every number is the median of {@code repeats} timed runs after one warm-up round (other
 * processes may share the machine; the spread is printed as min–max). Runs with different thread
 * counts (and the cached and recomputed generations) alternate round by round, so that each
 * comparison sees the same load.
 *
 * <p>Run: {@code java -Xmx6g -cp ... io.rge.benchmarks.ModelThroughputBench [--tiny DIR] [--repeats
 * N] [--threads 1,2]}; {@code DIR} defaults to the fixture copy in rge-core's test resources (run
 * from the repository root).
 */
public final class ModelThroughputBench {
  private static final int PREFILL_TOKENS = 128;
  private static final int DECODE_PROMPT = 32;
  private static final int[] DECODE_PROMPTS = {32, 128};
  private static final int NEW_TOKENS = 64;
  private static final int GENERATION_BATCH = 8;
  private static final int CANDIDATES = 64;
  private static final int IMAGE_CANDIDATES = 16;

  private final int repeats;
  private final int[] threads;

  ModelThroughputBench(int repeats, int[] threads) {
    this.repeats = repeats;
    this.threads = threads.clone();
  }

  public static void main(String[] args) throws IOException {
    Path tiny = Path.of("rge-test-fixtures/src/main/resources/fixtures/qwen25vl-tiny");
    int repeats = 5;
    int[] threads = {1, 2};
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--tiny" -> tiny = Path.of(args[++i]);
        case "--repeats" -> repeats = Integer.parseInt(args[++i]);
        case "--threads" ->
            threads = Arrays.stream(args[++i].split(",")).mapToInt(Integer::parseInt).toArray();
        default -> throw new IllegalArgumentException("unknown argument " + args[i]);
      }
    }
    if (!Files.isDirectory(tiny)) {
      throw new IllegalArgumentException(tiny + " is not a model folder (use --tiny DIR)");
    }
    DjlEngine.get();
    System.out.printf(
        Locale.ROOT,
        "machine: %d CPUs visible to the JVM, %s %s, Java %s; median of %d runs (min-max)%n",
        Runtime.getRuntime().availableProcessors(),
        System.getProperty("os.name"),
        System.getProperty("os.arch"),
        System.getProperty("java.version"),
        repeats);
    ModelThroughputBench bench = new ModelThroughputBench(repeats, threads);
    try (RgeModel model = RgeModel.load(tiny, DeviceChoice.CPU)) {
      bench.run("tiny (qwen25vl-tiny fixture)", model);
    }
    try (RgeModel model = wide()) {
      bench.run("wide (hidden 512 x 8 layers, vision 256 x 4)", model);
    }
  }

  /** The wider CPU-sized model: random weights, the preset's word-level tokenizer. */
  static RgeModel wide() throws IOException {
    TinyOptions options =
        TinyOptions.builder()
            .text(512, 1408, 8, 8, 2, List.of(8, 12, 12))
            .vision(4, 256, 1024, 4, List.of(3))
            .patches(14, 2, 2, 112)
            .build();
    TinyPreset preset =
        TinyPreset.create(
            List.of("a red circle left of a blue square . find the image of a cat on a sofa"),
            options);
    Qwen25VLConfig config = preset.config().withVocabSize(16384);
    return RgeModel.load(
        LoadOptions.builder()
            .setParts(
                config,
                preset.tokenizer(),
                preset.imageProcessorConfig(),
                new RandomWeights(7, 0.02))
            .optDevice(DeviceChoice.CPU)
            .build());
  }

  private void run(String label, RgeModel model) {
    Qwen25VLModel net = model.network();
    System.out.printf(Locale.ROOT, "%n-- %s --%n", label);
    SplittableRandom random = new SplittableRandom(1);
    int[] prompt = randomTokens(model.config(), PREFILL_TOKENS, random);

    for (int batch : new int[] {1, 8}) {
      int[][] ids = new int[batch][];
      int[][] mask = new int[batch][];
      for (int r = 0; r < batch; r++) {
        ids[r] = prompt;
        mask[r] = ones(prompt.length);
      }
      ModelInput input = new ModelInput(ids, mask, List.of());
      Stats[] s =
          measure(
              () -> {
                try (NDManager scope = model.manager().newSubManager();
                    KvCache cache = net.newCache(scope)) {
                  long start = System.nanoTime();
                  net.prefill(scope, input, cache).toFloatArray();
                  return seconds(start);
                }
              });
      report(
          s,
          String.format(Locale.ROOT, "prefill %d tokens x batch %d", PREFILL_TOKENS, batch),
          (double) PREFILL_TOKENS * batch,
          "tokens/s");
    }

    for (int promptLength : DECODE_PROMPTS) {
      int[] start = Arrays.copyOf(prompt, promptLength);
      // Cached and recomputed runs alternate too, so that their ratio sees the same load.
      Stats[] both =
          measureInTurn(
              () -> cachedGeneration(model, start), () -> recomputedGeneration(model, start));
      for (int t = 0; t < threads.length; t++) {
        Stats cached = both[2 * t];
        Stats recomputed = both[2 * t + 1];
        cached.report(
            String.format(
                Locale.ROOT, "%d new tokens after %d, KV cache", NEW_TOKENS, promptLength),
            NEW_TOKENS,
            "tokens/s");
        recomputed.report(
            String.format(
                Locale.ROOT,
                "%d new tokens after %d, full recompute per step",
                NEW_TOKENS,
                promptLength),
            NEW_TOKENS,
            "tokens/s");
        System.out.printf(
            Locale.ROOT,
            "  cache speed-up, %d threads: %.1fx (medians), %.1fx (fastest runs)%n",
            threads[t],
            recomputed.median / cached.median,
            recomputed.min / cached.min);
      }
    }

    List<GenerationRequest> requests = new ArrayList<>();
    for (int r = 0; r < GENERATION_BATCH; r++) {
      requests.add(
          new GenerationRequest(
              randomTokens(model.config(), DECODE_PROMPT + r, random), List.of()));
    }
    int[] produced = new int[1];
    Stats[] generation =
        measure(
            () -> {
              long t0 = System.nanoTime();
              List<GeneratedQuery> out =
                  model.generate(requests, GenerationSettings.greedy(NEW_TOKENS, GENERATION_BATCH));
              produced[0] = out.stream().mapToInt(q -> q.tokens().length).sum();
              return seconds(t0);
            });
    report(
        generation,
        String.format(
            Locale.ROOT,
            "RGE generation, %d prompts batched, up to %d tokens (%d written)",
            GENERATION_BATCH,
            NEW_TOKENS,
            produced[0]),
        produced[0],
        "tokens/s");

    List<MultimodalInput> texts = new ArrayList<>();
    for (int i = 0; i < CANDIDATES; i++) {
      texts.add(
          MultimodalInput.text(
              "Represent the given caption: a red circle left of a blue square number " + i));
    }
    report(
        measure(
            () -> {
              long t0 = System.nanoTime();
              model.embedCandidates(texts);
              return seconds(t0);
            }),
        String.format(Locale.ROOT, "text candidate embeddings, %d in batches of 32", CANDIDATES),
        CANDIDATES,
        "embeddings/s");
    BufferedImage image = new BufferedImage(112, 112, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < 112; y++) {
      for (int x = 0; x < 112; x++) {
        image.setRGB(x, y, (x * 7 + y * 13) * 0x010203);
      }
    }
    List<MultimodalInput> pictures = new ArrayList<>();
    for (int i = 0; i < IMAGE_CANDIDATES; i++) {
      pictures.add(new MultimodalInput("Represent the given image " + i, image));
    }
    report(
        measure(
            () -> {
              long t0 = System.nanoTime();
              model.embedCandidates(pictures);
              return seconds(t0);
            }),
        String.format(Locale.ROOT, "image candidate embeddings (112x112), %d", IMAGE_CANDIDATES),
        IMAGE_CANDIDATES,
        "embeddings/s");
  }

  /** Prefill, then one cached decoding step per new token (greedy). */
  private static double cachedGeneration(RgeModel model, int[] prompt) {
    Qwen25VLModel net = model.network();
    try (NDManager scope = model.manager().newSubManager();
        KvCache cache = net.newCache(scope)) {
      long t0 = System.nanoTime();
      int[] valid = ones(prompt.length);
      int next =
          argMax(net.logits(net.prefill(scope, ModelInput.single(prompt, List.of()), cache)));
      for (int step = 1; step < NEW_TOKENS; step++) {
        try (NDManager s = scope.newSubManager()) {
          valid = Arrays.copyOf(valid, valid.length + 1);
          valid[valid.length - 1] = 1;
          NDArray hidden = net.decode(s, new int[] {next}, cache, new int[][] {valid});
          next = argMax(net.logits(hidden));
        }
      }
      return seconds(t0);
    }
  }

  /** The same greedy tokens, each from a full forward pass over the whole sequence so far. */
  private static double recomputedGeneration(RgeModel model, int[] prompt) {
    Qwen25VLModel net = model.network();
    long t0 = System.nanoTime();
    int[] sequence = prompt;
    for (int step = 0; step < NEW_TOKENS; step++) {
      try (NDManager s = model.manager().newSubManager()) {
        ModelOutput out =
            net.forward(
                s,
                ModelInput.single(sequence, List.of()),
                OutputRequest.gatherAt(new int[][] {{0, sequence.length - 1}}));
        int next = argMax(net.logits(out.gathered()));
        sequence = Arrays.copyOf(sequence, sequence.length + 1);
        sequence[sequence.length - 1] = next;
      }
    }
    return seconds(t0);
  }

  private static int argMax(NDArray logits) {
    return (int) logits.argMax(-1).toLongArray()[0];
  }

  static int[] randomTokens(Qwen25VLConfig config, int n, SplittableRandom random) {
    SpecialTokenIds t = config.tokens();
    Set<Integer> special =
        Set.of(t.visionStart(), t.visionEnd(), t.visionPad(), t.imagePad(), t.videoPad());
    int[] out = new int[n];
    for (int i = 0; i < n; i++) {
      int id;
      do {
        id = random.nextInt(config.text().vocabSize());
      } while (special.contains(id));
      out[i] = id;
    }
    return out;
  }

  private static int[] ones(int n) {
    int[] out = new int[n];
    Arrays.fill(out, 1);
    return out;
  }

  private static double seconds(long startNanos) {
    return (System.nanoTime() - startNanos) / 1e9;
  }

  /**
   * Times one run per thread count in turn, {@code repeats} rounds after a warm-up round, so that
   * the thread counts share whatever load the machine has at the time.
   */
  private Stats[] measure(DoubleSupplier secondsOfOneRun) {
    return measureInTurn(secondsOfOneRun);
  }

  /**
   * Like {@link #measure}, for several kinds of run taken in turn within each round: returns, per
   * thread count, each kind's statistics in the order given.
   */
  Stats[] measureInTurn(DoubleSupplier... kinds) {
    int n = kinds.length;
    double[][] runs = new double[n * threads.length][repeats];
    for (int round = -1; round < repeats; round++) {
      for (int t = 0; t < threads.length; t++) {
        JniUtils.setNumThreads(threads[t]);
        for (int k = 0; k < n; k++) {
          double seconds = kinds[k].getAsDouble();
          if (round >= 0) {
            runs[n * t + k][round] = seconds;
          }
        }
      }
    }
    Stats[] out = new Stats[runs.length];
    for (int i = 0; i < runs.length; i++) {
      double[] r = runs[i];
      Arrays.sort(r);
      out[i] = new Stats(threads[i / n], r[repeats / 2], r[0], r[repeats - 1]);
    }
    return out;
  }

  private static void report(Stats[] stats, String what, double units, String unit) {
    for (Stats s : stats) {
      s.report(what, units, unit);
    }
  }

  /** Seconds per run with {@code threads} intra-op threads: median, fastest, slowest. */
  record Stats(int threads, double median, double min, double max) {
    void report(String what, double units, String unit) {
      System.out.printf(
          Locale.ROOT,
          "  %-62s %d thr %9.1f %s  (%.1f-%.1f; %.1f ms per run)%n",
          what,
          threads,
          units / median,
          unit,
          units / max,
          units / min,
          1000 * median);
    }
  }
}
