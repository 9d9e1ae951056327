package io.rge.eval.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import io.rge.core.Provenance;
import io.rge.data.registry.DatasetInfo;
import io.rge.data.registry.DatasetRegistry;
import io.rge.eval.score.DatasetScore;
import io.rge.eval.score.Scores;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportFilesTest {
  @TempDir Path dir;

  /** Every MMEB dataset i (in MMEB order) scores i correct of 100, but OVEN is absent. */
  private static RunRecord run(ReferenceRows references) {
    DatasetRegistry mmeb = DatasetRegistry.mmeb();
    List<DatasetScore> scores = new ArrayList<>();
    Map<String, DatasetRunInfo> infos = new LinkedHashMap<>();
    int i = 0;
    for (DatasetInfo d : mmeb.datasets()) {
      if (!d.name().equals("OVEN")) {
        scores.add(new DatasetScore(d.name(), d.metaTask(), d.distribution(), 100, i, i % 3, 0, 0));
        infos.put(d.name(), new DatasetRunInfo("ab", 100, 100, 100, 0, 10, 10, 0, 0, 1.5));
      }
      i++;
    }
    Map<String, Object> settings = new LinkedHashMap<>();
    settings.put("reasoning", true);
    settings.put("max_new_tokens", 128);
    return new RunRecord(
        "my|model",
        "f00d",
        "MMEB",
        "/data/MMEB-eval",
        null,
        new RunRecord.PromptInfo("mmeb", "mmeb", "stored", null),
        settings,
        Scores.aggregate(mmeb, scores, Map.of("OVEN", "not in the data folder")),
        infos,
        new EvalProvenance(
            new Provenance(
                Map.of("rge", "0.1", "djl", "0.36.0", "engine", "PyTorch 2.7.1", "java", "17"),
                "0123456789abcdef0123456789abcdef01234567",
                "host-a",
                "cpu()",
                null),
            "none",
            Instant.EPOCH,
            Instant.EPOCH.plusSeconds(90)),
        references);
  }

  @Test
  void reportHasTheTable2RowAndTheReferenceRows() throws IOException {
    Path refs = dir.resolve("refs.yaml");
    Files.writeString(
        refs,
        "source: a paper\nrows:\n  - model: Paper\n    classification: 1\n    vqa: 2\n"
            + "    retrieval: 3\n    grounding: 4\n    ind: 5\n    ood: 6\n    overall: 7.25\n");
    String md = ReportMarkdown.render(run(ReferenceRows.load(refs)));
    // Indices: classification 0..9 -> 4.5; VQA 10..19 -> 14.5; retrieval 20..31 without OVEN (28)
    // -> 278/11; grounding 32..35 -> 33.5; IND 305/20; OOD (325-28)/15; overall (630-28)/35.
    assertTrue(
        md.contains(
            "| **my\\|model** | 4.5 | 14.5 | 25.3 (11/12) | 33.5 | 15.3 | 19.8 (15/16) |"
                + " 17.2 (35/36) |"),
        md);
    assertTrue(md.contains("| Paper | 1.0 | 2.0 | 3.0 | 4.0 | 5.0 | 6.0 | 7.3 |"), md);
    assertTrue(md.contains("not scored, not in the data folder (1): OVEN"), md);
    assertTrue(md.contains("| GQA | VQA | OOD | 18.0 | 100 | 18 | 0 | 0 | 0 |"), md);
    assertTrue(md.contains("rationale up to 128 new tokens"), md);
    assertTrue(md.contains("Reference rows: a paper."), md);
    assertFalse(md.contains("IND/OOD do not apply"), md);
  }

  @Test
  void scoresJsonHoldsEveryCountAndAggregate() throws IOException {
    JsonNode json = new ObjectMapper().readTree(ScoresJson.render(run(null)));
    assertEquals(ScoresJson.FORMAT, json.get("format").asText());
    JsonNode gqa = json.get("datasets").get("GQA");
    assertEquals(18.0, gqa.get("precision_at_1").asDouble());
    assertEquals(0, gqa.get("ties").asInt(), "18 % 3");
    assertEquals("OOD", gqa.get("distribution").asText());
    assertEquals(35, json.get("datasets").size());
    assertEquals(278.0 / 11, json.get("meta_tasks").get("Retrieval").get("score").asDouble(), 1e-9);
    assertEquals(
        List.of("OVEN"),
        List.of(json.get("meta_tasks").get("Retrieval").get("missing").get(0).asText()));
    assertEquals(15, json.get("ood").get("present").asInt());
    assertEquals(36, json.get("overall").get("expected").asInt());
    assertTrue(json.get("distribution_note").isNull());
    assertEquals(90.0, json.get("provenance").get("seconds").asDouble());
    assertEquals("ab", json.get("provenance").get("data_fingerprints").get("GQA").asText());
    // The run's Provenance, with the fields a checkpoint's provenance.json has at its top level.
    JsonNode provenance = json.get("provenance");
    for (var component : Provenance.class.getRecordComponents()) {
      String key = new PropertyNamingStrategies.SnakeCaseStrategy().translate(component.getName());
      assertTrue(provenance.has(key), key + " in " + provenance);
    }
    assertEquals("0123456789abcdef0123456789abcdef01234567", provenance.get("git_commit").asText());
    assertEquals("host-a", provenance.get("host").asText());
    assertEquals("cpu()", provenance.get("device").asText());
    assertEquals("PyTorch 2.7.1", provenance.get("versions").get("engine").asText());
    assertTrue(provenance.get("seed").isNull(), "greedy evaluation draws nothing");
  }

  @Test
  void chartAndPredictionsRoundTrip() throws IOException {
    Path png = dir.resolve("scores.png");
    assertTrue(ScoreChart.write(png, run(null).scores(), "t"));
    BufferedImage image = ImageIO.read(png.toFile());
    assertEquals(120 + 30 * 35, image.getWidth(), "one bar slot per scored dataset");

    List<Prediction> predictions =
        List.of(
            new Prediction(
                "GQA", 0, 0, true, true, 0.0, 3, "a \"quoted\"\nrationale", false, List.of()),
            new Prediction(
                "GQA",
                1,
                2,
                false,
                false,
                -0.25,
                3,
                "",
                true,
                Prediction.top(new double[] {0.5, 0.25, 0.75})),
            new Prediction("NIGHTS", 7, 0, true, false, null, 1, "ünïcode", false, List.of()));
    Path file = dir.resolve("predictions.jsonl");
    PredictionsJsonl.write(file, predictions);
    assertEquals(predictions, PredictionsJsonl.read(file));
    assertEquals(
        List.of(
            new Prediction.Ranked(2, 0.75),
            new Prediction.Ranked(0, 0.5),
            new Prediction.Ranked(1, 0.25)),
        PredictionsJsonl.read(file).get(1).top(),
        "the best candidates, best first");
    assertEquals(3, Files.readAllLines(file).size());
    assertTrue(Files.readAllLines(file).get(0).contains("\"emb_appended\":false"));
  }
}
