package io.rge.training.metrics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rge.core.progress.ProgressListener;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MetricsTest {
  @TempDir Path dir;

  private static StepMetrics step(long n, Double total, Double lm, Double cl, boolean skipped) {
    return new StepMetrics(n, total, lm, cl, 1e-3, 1.5, 12, 0.2, 0.3, 0.5, 32, false, skipped);
  }

  @Test
  void metricsLinesRoundTripAndAResumeRewritesTheHistory() throws Exception {
    Path file = dir.resolve("metrics.jsonl");
    List<StepMetrics> first =
        List.of(step(1, 3.0, 1.0, 0.2, false), step(2, null, null, null, true));
    try (MetricsLog log = MetricsLog.open(file, List.of())) {
      first.forEach(log::append);
      log.append(step(3, 2.0, 1.0, 0.1, false)); // logged, then lost to a crash before a checkpoint
    }
    String line = Files.readAllLines(file).get(1);
    assertTrue(line.contains("\"total\":null") && line.contains("\"skipped\":true"), line);
    assertTrue(
        line.contains("\"grad_norm\":1.5") && line.contains("\"examples_per_second\":32"), line);
    assertEquals(3, MetricsLog.read(file).size());
    // Resuming from the checkpoint of step 2: step 3 is dropped and redone.
    try (MetricsLog log = MetricsLog.open(file, first)) {
      log.append(step(3, 2.5, 1.5, 0.1, false));
    }
    List<StepMetrics> read = MetricsLog.read(file);
    assertEquals(List.of(first.get(0), first.get(1), step(3, 2.5, 1.5, 0.1, false)), read);
  }

  @Test
  void summaryTakesFirstFinalAndMeanOverNonSkippedSteps() {
    List<StepMetrics> history =
        List.of(
            step(1, 4.0, 4.0, null, false),
            step(2, 30.0, 3.0, 2.7, false),
            step(3, null, null, null, true),
            step(4, 20.0, 2.0, 1.8, false));
    TrainSummary s = TrainSummary.of("rge", history, 10, 4, 12.5, 1, Path.of("/r/step-4"));
    assertEquals(4, s.steps());
    assertEquals(4.0, s.firstTotal());
    assertEquals(2.7, s.firstContrastive());
    assertEquals(20.0, s.finalTotal());
    assertEquals(1.8, s.finalContrastive());
    assertEquals(3.0, s.meanLm(), 1e-12);
    assertEquals(18.0, s.meanTotal(), 1e-12);
    assertEquals(2.25, s.meanContrastive(), 1e-12);
    assertEquals(1, s.skippedSteps());
    assertTrue(s.toJson().contains("\"final_contrastive\" : 1.8"), s.toJson());
    TrainSummary empty = TrainSummary.of("baseline", List.of(), 10, 0, 0, 0, null);
    assertNull(empty.finalLm());
  }

  @Test
  void thePlotIsAPngOfTheConfiguredSize() throws Exception {
    List<StepMetrics> history = new ArrayList<>();
    for (int i = 1; i <= 30; i++) {
      history.add(step(i, 30.0 / i, i > 10 ? 1.0 / i : null, 3.0 / i, i == 7));
    }
    Path png = dir.resolve("loss.png");
    LossPlot.write(png, history, "test");
    byte[] bytes = Files.readAllBytes(png);
    assertArrayEquals(new byte[] {(byte) 0x89, 'P', 'N', 'G'}, java.util.Arrays.copyOf(bytes, 4));
    BufferedImage image = ImageIO.read(png.toFile());
    assertEquals(900, image.getWidth());
    assertEquals(520, image.getHeight());
  }

  @Test
  void progressShowsSmoothedLossesAndRestartsAfterTheWarmup() {
    List<String> shown = new ArrayList<>();
    long[] started = new long[2];
    ProgressListener listener =
        (label, unit, total, done) -> {
          started[0] = total;
          started[1] = done;
          return new ProgressListener.Task() {
            @Override
            public void stepTo(long step) {
              shown.add("step " + step);
            }

            @Override
            public void status(String text) {
              shown.add(text);
            }
          };
        };
    try (TrainingProgress p = TrainingProgress.start(listener, "t", 1, 10)) {
      p.step(new StepMetrics(2, 4.0, 4.0, null, 1, 1.0, 0, 0, 0, 0, 1, true, false));
      p.step(new StepMetrics(3, 2.0, 2.0, null, 1, 1.0, 0, 0, 0, 0, 1, true, false));
      assertEquals("total 3.800 lm 3.800", p.message()); // 4 + 0.1 (2 - 4)
      p.step(new StepMetrics(4, 30.0, 2.0, 2.8, 1, 1.0, 0, 0, 0, 0, 1, false, false));
      assertEquals("total 30.000 lm 2.000 cl 2.800", p.message());
    }
    assertArrayEquals(new long[] {10, 1}, started);
    assertEquals(
        List.of(
            "step 2",
            "total 4.000 lm 4.000",
            "step 3",
            "total 3.800 lm 3.800",
            "step 4",
            "total 30.000 lm 2.000 cl 2.800"),
        shown);
  }
}
