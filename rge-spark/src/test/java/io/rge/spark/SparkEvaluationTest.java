package io.rge.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rge.core.DeviceChoice;
import io.rge.core.RgeModel;
import io.rge.data.synth.RgeSynth;
import io.rge.data.synth.SynthSize;
import io.rge.eval.Embedder;
import io.rge.eval.EvalData;
import io.rge.eval.EvalReport;
import io.rge.eval.EvalSettings;
import io.rge.eval.MmebEvaluator;
import io.rge.eval.TestData;
import io.rge.eval.report.PredictionsJsonl;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The evaluation sharded on Spark (local[2]) against the single-machine one, on the tiny fixture
 * model: the same scores, predictions, {@code scores.json} and {@code report.md} (run times,
 * timestamps, the device and the cache folder aside).
 */
class SparkEvaluationTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static RgeModel model;
  @TempDir Path tmp;

  @BeforeAll
  static void setUp() throws IOException {
    model = RgeModel.load(TestData.fixtureModel(), DeviceChoice.CPU);
  }

  @AfterAll
  static void tearDown() {
    model.close();
  }

  @Test
  void miniMmebScoresAsOnOneMachine() throws IOException {
    EvalData data = EvalData.mmeb(TestData.miniMmeb(tmp.resolve("MMEB-eval")), null);
    // Blocks of one batch: the 9 candidates and 7 queries of two datasets make 8 blocks.
    assertSame(data, List.of(), 2, 1);
  }

  @Test
  void rgeSynthScoresAsOnOneMachine() throws IOException {
    Path synth = tmp.resolve("synth");
    RgeSynth.generate(synth, 11, SynthSize.TINY, false);
    // Two of the eight datasets (one with image queries, one with image candidates): fast enough.
    assertSame(EvalData.locate(synth, null), List.of("SynthShapeShift", "SynthT2I"), 4, 2);
  }

  private void assertSame(EvalData data, List<String> datasets, int batchSize, int blockBatches)
      throws IOException {
    EvalReport single =
        new MmebEvaluator(Embedder.of(model))
            .evaluate(data, settings(datasets, batchSize, tmp.resolve("single")));
    EvalReport spark =
        RgeSpark.evaluate(
            LocalSpark.get(),
            TestData.fixtureModel(),
            DeviceChoice.CPU,
            null,
            data,
            settings(datasets, batchSize, tmp.resolve("spark")),
            blockBatches);
    assertTrue(spark.scores().overall().present() > 0);
    assertEquals(single.scores(), spark.scores());
    assertEquals(
        PredictionsJsonl.read(single.predictions()), PredictionsJsonl.read(spark.predictions()));
    assertEquals(comparable(single.scoresJson()), comparable(spark.scoresJson()));
    assertEquals(
        comparableReport(single.reportMarkdown()), comparableReport(spark.reportMarkdown()));
    JsonNode counts = JSON.readTree(spark.scoresJson().toFile()).get("datasets");
    for (JsonNode d : counts) {
      assertEquals(0, d.get("queries").get("cached").asInt(), "embedded by the executors");
      assertEquals(d.get("queries").get("unique"), d.get("queries").get("embedded"));
    }
  }

  private static EvalSettings settings(List<String> datasets, int batchSize, Path out) {
    return EvalSettings.builder(out.resolve("out"))
        .datasets(datasets)
        .cacheDir(out.resolve("cache"))
        .reasoning(true)
        .maxNewTokens(3)
        .batchSize(batchSize)
        .modelLabel("fixture")
        .build();
  }

  /** scores.json less what differs between any two runs: times, the device, the cache folder. */
  private static JsonNode comparable(Path scoresJson) throws IOException {
    ObjectNode root = (ObjectNode) JSON.readTree(scoresJson.toFile());
    JsonNode fingerprints = root.get("provenance").get("data_fingerprints");
    root.remove("provenance");
    root.set("data_fingerprints", fingerprints);
    ((ObjectNode) root.get("settings")).remove("cache_dir");
    for (JsonNode d : root.get("datasets")) {
      ((ObjectNode) d).remove("seconds");
    }
    return root;
  }

  /**
   * report.md with each dataset's seconds (the last column of "Work done") blanked and its last
   * line (versions, device, when it finished, how long it took) dropped.
   */
  private static String comparableReport(Path report) throws IOException {
    String text = Files.readString(report).strip();
    int work = text.indexOf("## Work done");
    int provenance = text.lastIndexOf("\nRGE ");
    assertTrue(work > 0 && provenance > work, text);
    return text.substring(0, work)
        + text.substring(work, provenance).replaceAll("(?m)\\| [0-9.]+ \\|$", "| seconds |");
  }
}
