package io.rge.benchmarks;

import io.rge.core.DeviceChoice;
import io.rge.core.LoadOptions;
import io.rge.core.MultimodalInput;
import io.rge.core.RgeModel;
import io.rge.core.generation.GeneratedQuery;
import io.rge.core.generation.GenerationRequest;
import io.rge.core.generation.GenerationSettings;
import io.rge.core.generation.GenerationSettings.Batching;
import io.rge.core.precision.ComputePrecision;
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
 * Qwen2.5-VL-3B's {@code config.json}) in the given precision (bf16 as the issue asks), measured as
 * {@code ../shared/gpu/anchor_hf.py} measures transformers: greedy generation of 64 forced tokens
 * after 64-token prompts at batch 32 and at batch 1; the mixed-length reasoning workload of {@link
 * GenerationBench} (256 prompts, 64 slots, 8–128 tokens, uniform and log-uniform) with continuous
 * against static batching and the shared prefix on against off; text candidates per second.
 *
 * <p>The projected full-MMEB evaluation counts 36 datasets × 1,000 queries (MMEB-eval's published
 * size: every dataset's test split is 1,000 rows, and queries are distinct within a dataset), each
 * with a rationale of the workload's lengths under the 128-token limit, plus 36 × 1,000 candidates:
 * one per row after de-duplication, a lower bound (classification and VQA datasets share their few
 * labels, so they have fewer distinct candidates; retrieval datasets list 1,000 per row, many of
 * them shared across rows; {@code rge eval --plan} counts them on the real data). It is given for
 * both length distributions and for every rationale at the 128-token limit, the worst case. Image
 * encoding is not included.
 */
final class AtScale {
  private static final int DATASETS = 36;
  private static final int QUERIES_PER_DATASET = 1000;
  private static final int CANDIDATES_PER_DATASET = 1000;
  private static final int SLOTS = 64;
  // Evaluation gives a generate call 8 batches; 4 keep the GPU run short, and the longer drain at
  // the end of a smaller pool makes the projection conservative.
  private static final int PROMPTS = 4 * SLOTS;

  private AtScale() {}

  static void run(Path configFile, DeviceChoice device, ComputePrecision precision)
      throws IOException {
    Qwen25VLConfig config = ModelConfigReader.read(configFile);
    TinyPreset words = TinyPreset.create(List.of("a red circle left of a blue square"));
    long t0 = System.nanoTime();
    try (RgeModel model =
        RgeModel.load(
            LoadOptions.builder()
                .setParts(
                    config,
                    words.tokenizer(),
                    words.imageProcessorConfig(),
                    new RandomWeights(7, 0.02))
                .optDevice(device)
                .optPrecision(precision)
                .build())) {
      System.out.printf(
          Locale.ROOT,
          "model %s on %s, %s, built in %.0f s%n",
          configFile,
          model.device(),
          precision,
          (System.nanoTime() - t0) / 1e9);
      SplittableRandom random = new SplittableRandom(5);
      forced(model, 32, random);
      forced(model, 1, random);
      double perCandidate = candidates(model, 256);
      for (GenerationBench.Lengths lengths :
          new GenerationBench.Lengths[] {
            GenerationBench.Lengths.UNIFORM, GenerationBench.Lengths.LOG_UNIFORM
          }) {
        List<GenerationRequest> requests =
            GenerationBench.workload(model, PROMPTS, lengths, random);
        GenerationSettings continuous = GenerationSettings.greedy(128, SLOTS);
        double perQuery =
            mixed(model, requests, continuous, lengths + ", continuous, prefix shared");
        double staticPerQuery =
            mixed(
                model,
                requests,
                continuous.withBatching(Batching.STATIC),
                lengths + ", static, prefix shared");
        double unshared =
            mixed(
                model,
                requests,
                continuous.withSharedPrefix(false),
                lengths + ", continuous, prefix off");
        System.out.printf(
            Locale.ROOT,
            "  %s: continuous / static %.2fx, shared prefix on / off %.2fx%n",
            lengths,
            staticPerQuery / perQuery,
            unshared / perQuery);
        project(lengths.toString(), perQuery, perCandidate);
      }
      List<GenerationRequest> longest =
          GenerationBench.workload(model, PROMPTS, GenerationBench.Lengths.AT_LIMIT, random);
      double worst =
          mixed(model, longest, GenerationSettings.greedy(128, SLOTS), "every rationale 128");
      project("every rationale 128 tokens", worst, perCandidate);
    }
  }

  private static void project(String lengths, double perQuery, double perCandidate) {
    double seconds =
        DATASETS * (QUERIES_PER_DATASET * perQuery + CANDIDATES_PER_DATASET * perCandidate);
    System.out.printf(
        Locale.ROOT,
        "projected MMEB, rationales %s (%d x %d queries with reasoning, %d x %d candidates):"
            + " %.1f min%n",
        lengths,
        DATASETS,
        QUERIES_PER_DATASET,
        DATASETS,
        CANDIDATES_PER_DATASET,
        seconds / 60);
  }

  /** {@code batch} prompts of 64 tokens, 64 forced new tokens each, one batch (as the anchor). */
  private static void forced(RgeModel model, int batch, SplittableRandom random) {
    List<GenerationRequest> requests = new ArrayList<>();
    for (int i = 0; i < batch; i++) {
      requests.add(
          new GenerationRequest(
              ModelThroughputBench.randomTokens(model.config(), 64, random), List.of(), 64));
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

  /** A mixed workload of {@link GenerationBench}: seconds per query. */
  private static double mixed(
      RgeModel model, List<GenerationRequest> requests, GenerationSettings s, String label) {
    model.generate(requests.subList(0, s.batchSize()), s); // warm-up
    long t0 = System.nanoTime();
    int written = written(model.generate(requests, s));
    double seconds = (System.nanoTime() - t0) / 1e9;
    System.out.printf(
        Locale.ROOT,
        "mixed reasoning workload, %s (%d prompts, %d slots): %.0f tokens/s, %.1f queries/s%n",
        label,
        requests.size(),
        s.batchSize(),
        written / seconds,
        requests.size() / seconds);
    return seconds / requests.size();
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
