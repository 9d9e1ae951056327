package io.rge.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code rge eval --plan}'s numbers on the small MMEB folder of {@link TestData#miniMmeb}, whose
 * contents are known: ImageNet-1K keeps 3 of its 4 rows (one image is missing), 3 distinct image
 * queries over 5 labels; MSCOCO_t2i has 4 captions over 4 distinct images.
 */
class EvalPlanTest {
  @TempDir Path tmp;

  @Test
  void thePlanCountsTheWorkAndTheCacheRemovesIt() throws IOException {
    Path data = TestData.miniMmeb(tmp.resolve("MMEB-eval"));
    EvalSettings settings =
        EvalSettings.builder(tmp.resolve("out")).maxNewTokens(3).batchSize(2).build();
    CountingEmbedder embedder = new CountingEmbedder(new WordEmbedder());
    EvalPlan plan = new MmebEvaluator(embedder).plan(EvalData.mmeb(data, null), settings);
    assertEquals(
        List.of(
            new EvalPlan.Dataset("ImageNet-1K", 3, 3, 3, 5, 5),
            new EvalPlan.Dataset("MSCOCO_t2i", 4, 4, 4, 4, 4)),
        plan.datasets());
    // The calibration embedded one query and one candidate per dataset, and nothing else ran.
    assertEquals(2, embedder.queryInputs);
    assertEquals(2, embedder.candidateInputs);
    assertEquals(4, plan.calibrationItems());
    assertEquals(
        7 * plan.secondsPerQuery() + 9 * plan.secondsPerCandidate(), plan.totalSeconds(), 1e-12);
    assertFalse(Files.exists(tmp.resolve("out/scores.json")), "a plan writes no results");
    assertTrue(plan.table().contains("| total (2 datasets) | 7 | 7 | 7 | 9 | 9 |"), plan.table());

    new MmebEvaluator(new WordEmbedder()).evaluate(EvalData.mmeb(data, null), settings);
    EvalPlan cached = new MmebEvaluator(embedder).plan(EvalData.mmeb(data, null), settings);
    assertEquals(new EvalPlan.Dataset("MSCOCO_t2i", 4, 4, 0, 4, 0), cached.datasets().get(1));
    assertEquals(0, cached.calibrationItems());
    assertEquals(0, cached.totalSeconds());
    assertTrue(cached.table().contains("every embedding is cached"), cached.table());
  }
}
