package io.rge.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rge.core.progress.ProgressListener;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Progress in a pipe or file: plain periodic lines, honest time estimates, statuses that fit. */
class TerminalProgressTest {
  private final AtomicLong now = new AtomicLong();
  private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
  private final TerminalProgress plain =
      new TerminalProgress(
          new PrintStream(bytes, true, StandardCharsets.UTF_8), false, 80, now::get);

  private void at(long seconds) {
    now.set(Duration.ofSeconds(seconds).toNanos());
  }

  private List<String> lines() {
    return bytes.toString(StandardCharsets.UTF_8).lines().toList();
  }

  @Test
  void withoutATerminalItWritesALineEveryThirtySecondsAndNoControlCodes() {
    at(0);
    try (ProgressListener.Task task = plain.start("train", "steps", 100, 0)) {
      assertEquals(List.of("train: 0/100 steps (0%), 0:00:00 elapsed"), lines());
      at(40); // loading took 40 s: the first step
      task.stepTo(1);
      task.status("loss 2.31");
      assertEquals(2, lines().size(), "30 s passed: a line");
      assertEquals("train: 1/100 steps (1%), 0:00:40 elapsed", lines().get(1), "no estimate yet");
      at(50);
      task.stepTo(11); // 10 steps in 10 s since the first one: 89 s for the 89 left
      assertEquals(2, lines().size(), "less than 30 s since the last line");
      at(71);
      task.stepTo(32);
      assertEquals(
          "train: 32/100 steps (32%), 0:01:11 elapsed, about 0:01:08 left · loss 2.31",
          lines().get(2));
      at(72);
    }
    assertEquals(
        "train: 32/100 steps (32%), 0:01:12 elapsed, about 0:01:08 left · loss 2.31",
        lines().get(3), "closing writes the last state");
    String all = bytes.toString(StandardCharsets.UTF_8);
    assertFalse(all.contains("\r") || all.contains("\u001b"), all);
  }

  @Test
  void aResumedTaskEstimatesFromItsOwnSteps() {
    at(0);
    try (ProgressListener.Task task = plain.start("eval", "rows", 1000, 900)) {
      at(31);
      task.stepTo(901);
      at(41);
      task.stepTo(951); // 50 rows in 10 s: 49 rows left, about 10 s
      at(62);
      task.stepTo(951);
    }
    assertTrue(lines().get(lines().size() - 1).contains("about 0:00:09 left"), lines().toString());
  }

  @Test
  void statusesAreCutAtAWordBoundaryToFitTheWidth() {
    String status = "training rge 1300/1300 · baseline 1300/1300 · oracle-leak 300/1300";
    assertEquals(status, TerminalProgress.fit(status, 80));
    String cut = TerminalProgress.fit(status, 40);
    assertEquals("training rge 1300/1300 · baseline…", cut);
    assertTrue(cut.length() <= 40);
    assertEquals("train…", TerminalProgress.fit("trainingwithoutspaces", 6));
    assertEquals("", TerminalProgress.fit("abc", 1));
  }
}
