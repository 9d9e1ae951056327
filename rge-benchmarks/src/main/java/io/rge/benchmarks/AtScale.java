package io.rge.benchmarks;

import io.rge.core.DeviceChoice;
import io.rge.core.MultimodalInput;
import io.rge.core.RgeModel;
import io.rge.core.generation.GeneratedQuery;
import io.rge.core.generation.GenerationRequest;
import io.rge.core.generation.GenerationSettings;
import io.rge.core.preset.TinyPreset;
import io.rge.core.qwen25vl.ModelConfigReader;
import io.rge.core.qwen25vl.Qwen25VLConfig;
import io.rge.core.qwen25vl.RandomWeights;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * The GPU part of {@link GenerationBench} (issue 13): a random-weight model of a real shape (e.g.
 * Qwen2.5-VL-3B's {@code config.json}), measured as {@code ../shared/gpu/anchor_hf.py} measures
 * transformers: greedy generation of 64 forced tokens at batch 32 and at batch 1, a mixed-length
 * reasoning workload (8–128 tokens, log-uniform), text candidates per second, and from those the
 * projected full-MMEB evaluation: 36 datasets × 1,000 queries (MMEB-eval's published size), each
 * with its rationale, plus 1,000 distinct candidates per dataset (a lower bound: classification and
 * VQA datasets have fewer distinct candidates, retrieval ones up to 1,000 per row before
 * de-duplication; {@code rge eval --plan} counts them on the real data). Image encoding is not
 * included.
 */
final class AtScale {
  private static final int DATASETS = 36;
  private static final int QUERIES_PER_DATASET = 1000;
  private static final int CANDIDATES_PER_DATASET = 1000;

  private AtScale() {}

  static void run(Path configFile, DeviceChoice device) throws IOException {
    Qwen25VLConfig config = ModelConfigReader.read(configFile);
    TinyPreset words = TinyPreset.create(List.of("a red circle left of a blue square"));
    long t0 = System.nanoTime();
    try (RgeModel model =
        RgeModel.create(
            config,
            words.tokenizer(),
            words.imageProcessorConfig(),
            new RandomWeights(7, 0.02),
            device)) {
      System.out.printf(
          Locale.ROOT,
          "model %s on %s, built in %.0f s%n",
          configFile,
          model.device(),
          (System.nanoTime() - t0) / 1e9);
      SplittableRandom random = new SplittableRandom(5);
      forced(model, 32, random);
      forced(model, 1, random);
      double perQuery = mixed(model, 256, 64, random);
      double perCandidate = candidates(model, 256);
      double seconds =
          DATASETS * (QUERIES_PER_DATASET * perQuery + CANDIDATES_PER_DATASET * perCandidate);
      System.out.printf(
          Locale.ROOT,
          "projected MMEB (%d x %d queries with reasoning, %d x %d candidates): %.1f min%n",
          DATASETS,
          QUERIES_PER_DATASET,
          DATASETS,
          CANDIDATES_PER_DATASET,
          seconds / 60);
    }
  }

  /** {@code batch} prompts of 32 tokens, 64 forced new tokens each, one batch. */
  private static void forced(RgeModel model, int batch, SplittableRandom random) {
    List<GenerationRequest> requests = new ArrayList<>();
    for (int i = 0; i < batch; i++) {
      requests.add(
          new GenerationRequest(
              ModelThroughputBench.randomTokens(model.config(), 32, random), List.of(), 64));
    }
    GenerationSettings s = GenerationSettings.greedy(64, batch);
    model.generate(requests, s); // warm-up
    long t0 = System.nanoTime();
    int written = written(model.generate(requests, s));
    double seconds = (System.nanoTime() - t0) / 1e9;
    System.out.printf(
        Locale.ROOT,
        "greedy, 64 forced tokens, batch %d: %.0f tokens/s%n",
        batch,
        written / seconds);
  }

  /** The mixed workload of {@link GenerationBench}: seconds per query. */
  private static double mixed(RgeModel model, int prompts, int slots, SplittableRandom random) {
    List<GenerationRequest> requests = GenerationBench.workload(model, prompts, true, random);
    GenerationSettings s = GenerationSettings.greedy(128, slots);
    model.generate(requests.subList(0, slots), s); // warm-up
    long t0 = System.nanoTime();
    int written = written(model.generate(requests, s));
    double seconds = (System.nanoTime() - t0) / 1e9;
    System.out.printf(
        Locale.ROOT,
        "mixed reasoning workload (%d prompts, 8-128 tokens, %d slots): %.0f tokens/s, %.1f"
            + " queries/s%n",
        prompts,
        slots,
        written / seconds,
        prompts / seconds);
    return seconds / prompts;
  }

  /** Text candidates of about 40 tokens, batches of 64: seconds per candidate. */
  private static double candidates(RgeModel model, int n) {
    List<MultimodalInput> texts = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      texts.add(MultimodalInput.text("a red circle left of a blue square ".repeat(5) + i));
    }
    model.embedCandidates(texts.subList(0, 64), 64); // warm-up
    long t0 = System.nanoTime();
    model.embedCandidates(texts, 64);
    double seconds = (System.nanoTime() - t0) / 1e9;
    System.out.printf(Locale.ROOT, "text candidates: %.0f per s%n", n / seconds);
    return seconds / n;
  }

  private static int written(List<GeneratedQuery> out) {
    return out.stream().mapToInt(q -> q.tokens().length).sum();
  }
}
