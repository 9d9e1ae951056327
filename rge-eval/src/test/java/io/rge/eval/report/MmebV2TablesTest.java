package io.rge.eval.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rge.data.mmebv2.MmebV2Tasks;
import io.rge.eval.score.MmebV2Scores;
import io.rge.eval.score.RetrievalScore;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MmebV2TablesTest {
  private static final MmebV2Scores PARTIAL =
      MmebV2Scores.aggregate(
          MmebV2Tasks.all(),
          Map.of("K700", 40.0, "HMDB51", 60.0, "ViDoRe_arxivqa", 80.0),
          Map.of("MVBench", "not in the data root"));
  private static final RetrievalScore ARXIVQA = new RetrievalScore(500, 70, 90, 80, 82, 88);

  @Test
  void summaryShowsRgeThenTheReferenceModelThenPeers() {
    MmebV2Reference reference =
        MmebV2Reference.load(Path.of("..", "configs", "reference-mmeb-v2.yaml"));
    List<String> lines = MmebV2Tables.summary("rge", PARTIAL, reference).lines().toList();

    assertEquals(
        "| Model | I-CLS | I-QA | I-RET | I-VG | Image | V-CLS | V-QA | V-RET | V-MRET | Video"
            + " | ViDoRe-V1 | ViDoRe-V2 | VisRAG | VisDoc-OOD | VisDoc | Overall |",
        lines.get(0));
    assertEquals(
        "| rge | — | — | — | — | — | 50.0 (2/5) | — | — | — | 50.0 (2/18) | 80.0 (1/10) | — | — | —"
            + " | 80.0 (1/24) | 60.0 (3/78) |",
        lines.get(2));
    // VLM2Vec-V2.0 from its 78 published numbers (groups as in the VLM2Vec-V2 paper's table).
    assertEquals(
        "| VLM2Vec-V2.0 (Qwen2-VL-2B) | 62.9 | 56.3 | 69.5 | 77.3 | 64.9 | 39.3 | 34.3 | 28.8 |"
            + " 36.8 | 34.6 | 75.5 | 44.9 | 79.4 | 39.4 | 65.4 | 58.0 |",
        lines.get(3));
    assertTrue(lines.get(lines.size() - 2).startsWith("| Qwen3-VL-Embedding (8B) | — |"));
    assertTrue(lines.get(lines.size() - 2).endsWith("| — | 77.8 |"));
    assertEquals(3 + 1 + 8, lines.size());
  }

  @Test
  void taskRowsShowMissingReasonsAndExtras() {
    String table = MmebV2Tables.tasks(PARTIAL, Map.of("ViDoRe_arxivqa", ARXIVQA));
    assertTrue(
        table.contains(
            "| ViDoRe_arxivqa | ViDoRe-V1 | ndcg_linear@5 | 80.0 | 70.0 | 90.0 | 80.0 | 82.0 | 88.0 |"),
        table);
    assertTrue(table.contains("| MVBench | V-QA | hit@1 | — (not in the data root) | — |"), table);
    assertTrue(table.contains("| K700 | V-CLS | hit@1 | 40.0 | — |"), table);
    assertEquals(2 + 78, table.lines().count());
  }

  @Test
  void jsonSectionKeepsNullsForMissingTasks() {
    ObjectNode json = MmebV2ScoresJson.section(PARTIAL, Map.of("ViDoRe_arxivqa", ARXIVQA));
    JsonNode arxiv = json.get("tasks").get("ViDoRe_arxivqa");
    assertEquals(80.0, arxiv.get("score").asDouble());
    assertEquals("ViDoRe-V1", arxiv.get("group").asText());
    assertEquals(500, arxiv.get("queries").asLong());
    assertEquals(82.0, arxiv.get("ndcg_linear@10").asDouble());
    assertTrue(json.get("tasks").get("MVBench").get("score").isNull());
    assertEquals("not in the data root", json.get("tasks").get("MVBench").get("missing").asText());
    assertEquals(60.0, json.get("overall").get("score").asDouble());
    assertEquals(3, json.get("overall").get("present").asInt());
    assertEquals(78, json.get("overall").get("expected").asInt());
    assertTrue(json.get("modalities").get("image").get("score").isNull());
    assertEquals(2, json.get("groups").get("V-CLS").get("present").asInt());
  }
}
