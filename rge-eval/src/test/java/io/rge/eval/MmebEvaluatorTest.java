package io.rge.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.rge.core.DeviceChoice;
import io.rge.core.RgeModel;
import io.rge.core.files.FolderInUseException;
import io.rge.core.files.FolderLock;
import io.rge.data.images.ImageNotFoundException;
import io.rge.data.images.MissingImagePolicy;
import io.rge.eval.report.Prediction;
import io.rge.eval.report.PredictionsJsonl;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * End to end on a small MMEB-format folder with the tiny fixture model: 9 distinct candidates (5
 * labels, 4 images) and 7 distinct queries (3 ImageNet-1K images, the 4th missing, and 4 captions).
 */
class MmebEvaluatorTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static RgeModel model;

  @TempDir static Path shared;
  @TempDir Path tmp;

  private static Path data;

  /** An uninterrupted first run: the results every other run must reproduce exactly. */
  private static List<Prediction> reference;

  @BeforeAll
  static void setUp() throws IOException {
    model = RgeModel.load(TestData.fixtureModel(), DeviceChoice.CPU);
    data = TestData.miniMmeb(shared.resolve("MMEB-eval"));
    EvalReport run =
        evaluate(
            Embedder.of(model),
            settings(shared.resolve("reference"), shared.resolve("reference-cache")).build());
    reference = PredictionsJsonl.read(run.predictions());
  }

  @AfterAll
  static void tearDown() {
    model.close();
  }

  private static EvalSettings.Builder settings(Path out, Path cache) {
    return EvalSettings.builder(out)
        .cacheDir(cache)
        .reasoning(true)
        .maxNewTokens(3)
        .batchSize(2)
        .modelLabel("fixture");
  }

  private static EvalReport evaluate(Embedder embedder, EvalSettings settings) throws IOException {
    return new MmebEvaluator(embedder).evaluate(EvalData.mmeb(data, null), settings);
  }

  @Test
  void scoresAgreeWithPredictionsAndRerunsOnlyScore() throws IOException {
    CountingEmbedder first = new CountingEmbedder(Embedder.of(model));
    Path cache = tmp.resolve("cache");
    EvalReport a = evaluate(first, settings(tmp.resolve("a"), cache).build());

    // Each distinct (text, image) is embedded once: candidates in calls of one batch of 2, the
    // resumption unit; reasoning queries in calls of up to 8 batches of 2, so that continuous
    // batching has queries to refill its 2 slots from (one batch per call would end each call on
    // its longest rationale): one call per dataset here.
    assertEquals(9, first.candidateInputs);
    assertEquals(7, first.queryInputs);
    assertEquals(3 + 2, first.candidateCalls, "ceil(5/2) + ceil(4/2)");
    assertEquals(1 + 1, first.queryCalls, "ceil(3/16) + ceil(4/16)");

    List<Prediction> predictions = PredictionsJsonl.read(a.predictions());
    assertEquals(reference, predictions, "a fresh run is bit-identical: deterministic");
    JsonNode scores = JSON.readTree(a.scoresJson().toFile());
    assertEquals("rge-eval-scores", scores.get("format").asText());
    assertEquals(model.fingerprint(), scores.get("model").get("fingerprint").asText());
    assertAgree(scores, predictions);

    List<Prediction> imagenet = of(predictions, "ImageNet-1K");
    assertEquals(List.of(0L, 1L, 2L), imagenet.stream().map(Prediction::row).toList());
    JsonNode in1k = scores.get("datasets").get("ImageNet-1K");
    assertEquals(1, in1k.get("skipped_rows").asInt(), "row 3's image is not in the zip");
    assertEquals(1, in1k.get("missing_images").asInt());
    assertEquals(4, in1k.get("rows_read").asInt());
    assertEquals(5, in1k.get("candidates").get("unique").asInt());
    List<Prediction> coco = of(predictions, "MSCOCO_t2i");
    assertEquals(4, coco.size());
    assertTrue(coco.get(2).tie(), "two identical candidates share the top score");
    assertTrue(coco.get(2).correct(), "ties go to the lower index");
    assertEquals(0.0, coco.get(2).margin());
    assertNull(coco.get(3).margin(), "a single candidate has no margin");
    assertEquals(List.of(4, 3, 2, 1), coco.stream().map(Prediction::candidates).toList());
    for (Prediction p : predictions) {
      assertNotNull(p.rationale());
    }

    assertEquals("not in the data folder", scores.get("missing").get("OVEN").asText());
    assertEquals(34, scores.get("missing").size());
    assertFalse(scores.get("datasets").has("NotMmeb"));
    assertEquals(2, scores.get("ind").get("present").asInt());
    assertEquals(20, scores.get("ind").get("expected").asInt());
    assertTrue(scores.get("ood").get("score").isNull());
    assertEquals("greedy", scores.get("settings").get("decoding").asText());
    assertEquals(3, scores.get("settings").get("max_new_tokens").asInt());
    assertTrue(
        scores
            .get("provenance")
            .get("data_fingerprints")
            .get("ImageNet-1K")
            .asText()
            .matches("[0-9a-f]{64}"));

    String report = Files.readString(a.reportMarkdown());
    assertTrue(report.contains("| **fixture** |"), report);
    assertTrue(report.contains("(1/10)"), report);
    BufferedImage chart = ImageIO.read(a.chart().toFile());
    assertTrue(chart.getWidth() >= 640 && chart.getHeight() == 560);

    // Same model, same cache: nothing is embedded, the results are the same.
    CountingEmbedder second = new CountingEmbedder(Embedder.of(model));
    EvalReport b = evaluate(second, settings(tmp.resolve("b"), cache).build());
    assertEquals(0, second.calls());
    assertEquals(predictions, PredictionsJsonl.read(b.predictions()));
    assertEquals(a.scores(), b.scores());
    JsonNode rerun = JSON.readTree(b.scoresJson().toFile()).get("datasets").get("MSCOCO_t2i");
    assertEquals(4, rerun.get("candidates").get("cached").asInt());
    assertEquals(0, rerun.get("queries").get("embedded").asInt());
  }

  @Test
  void anEvaluationOnAHeldCacheFolderIsRefusedBeforeItEmbeds() throws IOException {
    Path cache = tmp.resolve("cache");
    CountingEmbedder second = new CountingEmbedder(Embedder.of(model));
    try (FolderLock first = FolderLock.acquire(cache, "another evaluation")) {
      FolderInUseException e =
          assertThrows(
              FolderInUseException.class,
              () -> evaluate(second, settings(tmp.resolve("out"), cache).build()));
      assertTrue(
          e.getMessage().startsWith(cache + " is in use by another evaluation (pid "),
          e.getMessage());
    }
    assertEquals(0, second.candidateCalls + second.queryCalls, "nothing embedded");
    assertFalse(Files.exists(tmp.resolve("out")), "nothing written");
  }

  @Test
  void anInterruptedRunResumesAfterItsLastBatch() throws IOException {
    // Calls in order: ImageNet-1K candidates 3, queries 1 (its 2 batches together); MSCOCO_t2i
    // candidates 2, queries 1. The 6th call, MSCOCO_t2i's second candidate batch, fails.
    Path cache = tmp.resolve("cache");
    CountingEmbedder crashing = new CountingEmbedder(Embedder.of(model), 5);
    assertThrows(
        CountingEmbedder.Interrupted.class,
        () -> evaluate(crashing, settings(tmp.resolve("out"), cache).build()));
    assertFalse(Files.exists(tmp.resolve("out/scores.json")), "no outputs from a failed run");

    CountingEmbedder resumed = new CountingEmbedder(Embedder.of(model));
    EvalReport report = evaluate(resumed, settings(tmp.resolve("out"), cache).build());
    assertEquals(1, resumed.candidateCalls, "the MSCOCO_t2i candidate batch that failed");
    assertEquals(2, resumed.candidateInputs);
    assertEquals(1, resumed.queryCalls, "MSCOCO_t2i's 4 queries, one call");
    assertEquals(4, resumed.queryInputs);
    assertEquals(reference, PredictionsJsonl.read(report.predictions()));
  }

  @Test
  void selectedDatasetsPromptsAndTheMissingImagePolicy() throws IOException {
    EvalReport one =
        evaluate(
            Embedder.of(model),
            settings(tmp.resolve("one"), tmp.resolve("cache"))
                .datasets(List.of("MSCOCO_t2i", "OVEN"))
                .reasoning(false)
                .build());
    assertEquals(
        List.of("MSCOCO_t2i"), one.scores().datasets().stream().map(d -> d.name()).toList());
    assertEquals("not selected", one.scores().missing().get("ImageNet-1K"));
    assertEquals("not in the data folder", one.scores().missing().get("OVEN"));
    assertTrue(
        PredictionsJsonl.read(one.predictions()).stream().allMatch(p -> p.rationale().isEmpty()),
        "no reasoning, no rationale");

    assertThrows(
        IllegalArgumentException.class,
        () ->
            evaluate(
                Embedder.of(model),
                settings(tmp.resolve("x"), tmp.resolve("cache"))
                    .datasets(List.of("Nope"))
                    .build()));

    ImageNotFoundException missing =
        assertThrows(
            ImageNotFoundException.class,
            () ->
                evaluate(
                    Embedder.of(model),
                    settings(tmp.resolve("y"), tmp.resolve("cache"))
                        .datasets(List.of("ImageNet-1K"))
                        .missingImages(MissingImagePolicy.FAIL)
                        .build()));
    assertTrue(missing.getMessage().contains("ImageNet-1K/q3.png"), missing.getMessage());
  }

  /** Recomputes every count and mean of scores.json from predictions.jsonl. */
  private static void assertAgree(JsonNode scores, List<Prediction> predictions) {
    Map<String, List<Prediction>> byDataset = new LinkedHashMap<>();
    for (Prediction p : predictions) {
      byDataset.computeIfAbsent(p.dataset(), k -> new ArrayList<>()).add(p);
      assertEquals(p.predicted() == 0, p.correct());
    }
    assertEquals(2, byDataset.size());
    double sum = 0;
    for (Map.Entry<String, List<Prediction>> e : byDataset.entrySet()) {
      JsonNode d = scores.get("datasets").get(e.getKey());
      long correct = e.getValue().stream().filter(Prediction::correct).count();
      long ties = e.getValue().stream().filter(Prediction::tie).count();
      assertEquals(e.getValue().size(), d.get("n").asLong(), e.getKey());
      assertEquals(correct, d.get("correct").asLong(), e.getKey());
      assertEquals(ties, d.get("ties").asLong(), e.getKey());
      double p1 = 100.0 * correct / e.getValue().size();
      assertEquals(p1, d.get("precision_at_1").asDouble(), 1e-9, e.getKey());
      sum += p1;
    }
    double in1k = scores.get("datasets").get("ImageNet-1K").get("precision_at_1").asDouble();
    double coco = scores.get("datasets").get("MSCOCO_t2i").get("precision_at_1").asDouble();
    JsonNode tasks = scores.get("meta_tasks");
    assertEquals(in1k, tasks.get("Classification").get("score").asDouble(), 1e-9);
    assertEquals(1, tasks.get("Classification").get("present").asInt());
    assertEquals(coco, tasks.get("Retrieval").get("score").asDouble(), 1e-9);
    assertTrue(tasks.get("VQA").get("score").isNull());
    assertEquals(sum / 2, scores.get("overall").get("score").asDouble(), 1e-9);
    assertEquals(sum / 2, scores.get("ind").get("score").asDouble(), 1e-9, "both are IND");
  }

  private static List<Prediction> of(List<Prediction> all, String dataset) {
    return all.stream().filter(p -> p.dataset().equals(dataset)).toList();
  }
}
