package io.rge.benchmarks;

import io.rge.core.DeviceChoice;
import io.rge.core.LoadOptions;
import io.rge.core.MultimodalInput;
import io.rge.core.PreparedInput;
import io.rge.core.RgeModel;
import io.rge.core.generation.GenerationSettings;
import io.rge.core.preset.TinyPreset;
import io.rge.eval.Embedder;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Evaluation throughput through {@link Embedder} (what {@code rge eval} calls): candidates per
 * second and reasoning queries per second, batched and one at a time (batch size 1, the way RGE's
 * released evaluation generates queries).
 *
 * <p>Inputs: half text-only, half with a 56 x 56 image (4 visual tokens). A randomly initialised
 * model never writes {@code <emb>}, so every query generates exactly {@code max_new_tokens} tokens
 * and batched and single runs do the same work.
 *
 * <p>Run: {@code java -cp ... io.rge.benchmarks.EvalThroughputBench [MODEL_DIR|preset] [rounds]
 * [max_new_tokens] [cpu|gpu|auto]}; default the tiny fixture model under {@code
 * rge-test-fixtures/src/main/resources/fixtures/qwen25vl-tiny} when run from the repository root,
 * else a tiny preset. Reports the median and range over rounds, after one warm-up round.
 */
public final class EvalThroughputBench {
  private static final int CANDIDATES = 64;
  private static final int QUERIES = 32;
  private static final int CANDIDATE_BATCH = 32;
  private static final int QUERY_BATCH = 16;

  private EvalThroughputBench() {}

  public static void main(String[] args) throws IOException {
    Path fixture = Path.of("rge-test-fixtures/src/main/resources/fixtures/qwen25vl-tiny");
    String modelArg =
        args.length > 0 ? args[0] : Files.isDirectory(fixture) ? fixture.toString() : "preset";
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
    int maxNewTokens = args.length > 2 ? Integer.parseInt(args[2]) : 16;
    DeviceChoice device = args.length > 3 ? DeviceChoice.parse(args[3]) : DeviceChoice.CPU;

    List<MultimodalInput> candidates = inputs(CANDIDATES, "<|image_1|> Represent the given image.");
    List<MultimodalInput> queries =
        inputs(QUERIES, "<|image_1|> Represent the given image with the following question:");
    try (RgeModel model = open(modelArg, device)) {
      Embedder embedder = Embedder.of(model);
      System.out.printf(
          "model %s on %s; %d candidates, %d queries (half with a 56x56 image),"
              + " max_new_tokens %d, %d rounds%n",
          modelArg, model.device(), CANDIDATES, QUERIES, maxNewTokens, rounds);
      report(
          "candidates/s, batch " + CANDIDATE_BATCH,
          rate(
              rounds,
              CANDIDATES,
              () -> embedder.embedCandidates(prepared(embedder, candidates), CANDIDATE_BATCH)));
      report(
          "candidates/s, batch 1",
          rate(
              rounds,
              CANDIDATES,
              () -> embedder.embedCandidates(prepared(embedder, candidates), 1)));
      report(
          "reasoning queries/s, batch " + QUERY_BATCH,
          rate(
              rounds,
              QUERIES,
              () ->
                  embedder.embedQueries(
                      prepared(embedder, queries, true),
                      true,
                      GenerationSettings.greedy(maxNewTokens, QUERY_BATCH))));
      report(
          "reasoning queries/s, batch 1",
          rate(
              rounds,
              QUERIES,
              () ->
                  embedder.embedQueries(
                      prepared(embedder, queries, true),
                      true,
                      GenerationSettings.greedy(maxNewTokens, 1))));
      report(
          "plain queries/s, batch " + QUERY_BATCH,
          rate(
              rounds,
              QUERIES,
              () ->
                  embedder.embedQueries(
                      prepared(embedder, queries, false),
                      false,
                      GenerationSettings.greedy(0, QUERY_BATCH))));
    }
  }

  /** Candidates made ready as evaluation does (ahead of the model there; timed here). */
  private static List<PreparedInput> prepared(Embedder embedder, List<MultimodalInput> inputs) {
    return inputs.stream().map(embedder::prepareCandidate).toList();
  }

  private static List<PreparedInput> prepared(
      Embedder embedder, List<MultimodalInput> inputs, boolean reasoning) {
    return inputs.stream().map(in -> embedder.prepareQuery(in, reasoning)).toList();
  }

  private static RgeModel open(String modelArg, DeviceChoice device) throws IOException {
    if (modelArg.equals("preset")) {
      TinyPreset preset =
          TinyPreset.create(
              List.of("represent the given image with the following question : a red circle"));
      return RgeModel.load(LoadOptions.builder().setPreset(preset, 42).optDevice(device).build());
    }
    return RgeModel.load(Path.of(modelArg), device);
  }

  /** Half text-only inputs ("item i ..."), half an image of a distinct colour. */
  private static List<MultimodalInput> inputs(int n, String imageText) {
    List<MultimodalInput> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      if (i % 2 == 0) {
        out.add(MultimodalInput.text("a red circle number " + i + " on the left of a square"));
      } else {
        BufferedImage image = new BufferedImage(56, 56, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setColor(Color.getHSBColor(i / (float) n, 0.8f, 0.9f));
        g.fillRect(0, 0, 56, 56);
        g.dispose();
        out.add(new MultimodalInput(imageText + " " + i, image));
      }
    }
    return out;
  }

  private static double[] rate(int rounds, int items, Runnable work) {
    work.run(); // warm-up
    double[] perSecond = new double[rounds];
    for (int r = 0; r < rounds; r++) {
      long start = System.nanoTime();
      work.run();
      perSecond[r] = items / ((System.nanoTime() - start) / 1e9);
    }
    return perSecond;
  }

  private static void report(String label, double[] values) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    System.out.printf(
        Locale.ROOT,
        "%-32s median %8.2f  (min %.2f, max %.2f)%n",
        label,
        sorted[sorted.length / 2],
        sorted[0],
        sorted[sorted.length - 1]);
  }
}
