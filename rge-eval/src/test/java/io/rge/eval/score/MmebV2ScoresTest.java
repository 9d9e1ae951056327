package io.rge.eval.score;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rge.data.mmebv2.MmebV2Tasks;
import io.rge.data.mmebv2.Modality;
import io.rge.data.mmebv2.TaskGroup;
import io.rge.eval.report.MmebV2Reference;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MmebV2ScoresTest {
  private static final double EPS = 1e-9;
  private static final Path REFERENCE = Path.of("..", "configs", "reference-mmeb-v2.yaml");

  /**
   * VLM2Vec-V2.0's 78 published numbers (experiments/public/all_scores/v2.0.0) give the
   * leaderboard's 58.02 overall (64.85 image, 34.58 video, 65.36 visdoc); the expected values are
   * the means of that JSON file computed outside Java, and match the paper's table to its digit.
   */
  @Test
  void vlm2vecV2PublishedTaskScoresGiveTheLeaderboardNumbers() {
    MmebV2Reference reference = MmebV2Reference.load(REFERENCE);
    MmebV2Reference.Model vlm2vec = reference.models().get(0);
    assertEquals(78, vlm2vec.tasks().size());
    MmebV2Scores scores = vlm2vec.scores();

    assertTrue(scores.missing().isEmpty(), scores.missing().toString());
    assertTrue(scores.overall().complete());
    assertEquals(58.022173794471676, scores.overall().value(), EPS);
    assertEquals("58.0", scores.overall().cell());
    assertEquals(58.0, vlm2vec.publishedOverall(), EPS);
    assertEquals(64.85277777777777, scores.modalities().get(Modality.IMAGE).value(), EPS);
    assertEquals(34.57752807034119, scores.modalities().get(Modality.VIDEO).value(), EPS);
    assertEquals(65.35975211261047, scores.modalities().get(Modality.VISDOC).value(), EPS);

    Map<TaskGroup, Double> groups = new EnumMap<>(TaskGroup.class);
    groups.put(TaskGroup.I_CLS, 62.9);
    groups.put(TaskGroup.I_QA, 56.29);
    groups.put(TaskGroup.I_RET, 69.46666666666667);
    groups.put(TaskGroup.I_VG, 77.3);
    groups.put(TaskGroup.V_CLS, 39.29612009237876);
    groups.put(TaskGroup.V_QA, 34.32570103966648);
    groups.put(TaskGroup.V_RET, 28.766633682767917);
    groups.put(TaskGroup.V_MRET, 36.81774373069187);
    groups.put(TaskGroup.VIDORE_V1, 75.51875008091847);
    groups.put(TaskGroup.VIDORE_V2, 44.859364894460896);
    groups.put(TaskGroup.VISRAG, 79.37956282728251);
    groups.put(TaskGroup.VISDOC_OOD, 39.43292833798197);
    for (TaskGroup group : TaskGroup.values()) {
      assertEquals(groups.get(group), scores.groups().get(group).value(), EPS, group.label());
    }
    // The mean of the three modality means (54.93) is not the leaderboard's overall.
    double meanOfMeans = (64.85277777777777 + 34.57752807034119 + 65.35975211261047) / 3;
    assertEquals(54.93, meanOfMeans, 0.005);
    assertTrue(scores.overall().value() - meanOfMeans > 3);
  }

  @Test
  void missingTasksAreShownAsMissingAndNeverAveragedAsZero() {
    MmebV2Scores scores =
        MmebV2Scores.aggregate(
            MmebV2Tasks.all(),
            Map.of("K700", 40.0, "HMDB51", 60.0, "ViDoRe_arxivqa", 80.0),
            Map.of("MVBench", "not in the data root"));

    assertEquals(60.0, scores.overall().value(), EPS);
    assertEquals("60.0 (3/78)", scores.overall().cell());
    assertEquals(50.0, scores.modalities().get(Modality.VIDEO).value(), EPS);
    assertEquals("50.0 (2/18)", scores.modalities().get(Modality.VIDEO).cell());
    assertNull(scores.modalities().get(Modality.IMAGE).value());
    assertEquals("—", scores.modalities().get(Modality.IMAGE).cell());
    assertEquals(36, scores.modalities().get(Modality.IMAGE).missing().size());
    assertEquals(50.0, scores.groups().get(TaskGroup.V_CLS).value(), EPS);
    assertNull(scores.groups().get(TaskGroup.V_QA).value());
    assertEquals(75, scores.missing().size());
    assertEquals("not in the data root", scores.missing().get("MVBench"));
    assertEquals("not evaluated", scores.missing().get("UCF101"));
    assertEquals(78, scores.tasks().size());
    assertNull(scores.tasks().get(0).value());
    assertEquals("ImageNet-1K", scores.tasks().get(0).task().name());
  }

  @Test
  void unknownTasksAndOutOfRangeScoresAreRejected() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                MmebV2Scores.aggregate(
                    MmebV2Tasks.all(), Map.of("MomentSeeker_1k8", 1.0), Map.of()));
    assertTrue(e.getMessage().contains("MomentSeeker_1k8"), e.getMessage());
    e =
        assertThrows(
            IllegalArgumentException.class,
            () -> MmebV2Scores.aggregate(MmebV2Tasks.all(), Map.of("K700", 0.38e3), Map.of()));
    assertTrue(e.getMessage().contains("K700"), e.getMessage());
  }

  @Test
  void referenceFileListsThePeersOverallScores() {
    MmebV2Reference reference = MmebV2Reference.load(REFERENCE);
    assertEquals(8, reference.peers().size());
    MmebV2Reference.Peer best = reference.peers().get(6);
    assertEquals("Qwen3-VL-Embedding (8B)", best.model());
    assertEquals(77.8, best.overall(), EPS);
  }

  @Test
  void aReferenceFileWithAnUnknownTaskOrAPercentageFailsNamingIt(@TempDir Path dir)
      throws IOException {
    Path file = dir.resolve("ref.yaml");
    Files.writeString(file, "models:\n  - model: m\n    tasks:\n      K7000: 0.5\n");
    RuntimeException e = assertThrows(RuntimeException.class, () -> MmebV2Reference.load(file));
    assertTrue(e.getMessage().contains("K7000"), e.getMessage());
    Files.writeString(file, "models:\n  - model: m\n    tasks:\n      K700: 38.0\n");
    e = assertThrows(RuntimeException.class, () -> MmebV2Reference.load(file));
    assertTrue(e.getMessage().contains("fraction"), e.getMessage());
  }
}
