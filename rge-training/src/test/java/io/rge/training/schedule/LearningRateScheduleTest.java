package io.rge.training.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class LearningRateScheduleTest {
  private static final double EPS = 1e-12;

  @Test
  void warmupRisesLinearlyFromTheFirstStepToThePeak() {
    LearningRateSchedule s = new LearningRateSchedule(1.0, 4, 10, 0.1);
    assertEquals(0.25, s.at(0), EPS);
    assertEquals(0.50, s.at(1), EPS);
    assertEquals(0.75, s.at(2), EPS);
    assertEquals(1.00, s.at(3), EPS);
  }

  @Test
  void cosineDecaysFromThePeakToTheMinimumAtTheTotal() {
    LearningRateSchedule s = new LearningRateSchedule(2.0, 4, 10, 0.1);
    // progress p = (step - 4) / 6; lr = 2 (0.1 + 0.9 (1 + cos(pi p)) / 2)
    assertEquals(2.0, s.at(4), EPS);
    assertEquals(2 * (0.1 + 0.9 * (1 + Math.sqrt(3) / 2) / 2), s.at(5), EPS); // p = 1/6
    assertEquals(2 * (0.1 + 0.9 * 0.75), s.at(6), EPS); // p = 1/3, cos = 1/2
    assertEquals(2 * 0.55, s.at(7), EPS); // p = 1/2, cos = 0
    assertEquals(2 * (0.1 + 0.9 * 0.25), s.at(8), EPS); // p = 2/3, cos = -1/2
    assertEquals(0.2, s.at(10), EPS);
    assertEquals(0.2, s.at(1000), EPS, "past the end it stays at the minimum");
  }

  @Test
  void withoutWarmupTheFirstStepIsAtThePeak() {
    LearningRateSchedule s = new LearningRateSchedule(0.5, 0, 2, 0.0);
    assertEquals(0.5, s.at(0), EPS);
    assertEquals(0.25, s.at(1), EPS); // p = 1/2
    assertEquals(0.0, s.at(2), EPS);
  }

  @Test
  void warmupAsLongAsTheRunNeverDecays() {
    LearningRateSchedule s = new LearningRateSchedule(1.0, 3, 3, 0.0);
    assertEquals(1.0 / 3, s.at(0), EPS);
    assertEquals(1.0, s.at(2), EPS);
    assertEquals(0.0, s.at(3), EPS);
  }

  @Test
  void rejectsMeaninglessSettings() {
    assertThrows(IllegalArgumentException.class, () -> new LearningRateSchedule(0, 0, 1, 0));
    assertThrows(IllegalArgumentException.class, () -> new LearningRateSchedule(1, 0, 0, 0));
    assertThrows(IllegalArgumentException.class, () -> new LearningRateSchedule(1, 5, 4, 0));
    assertThrows(IllegalArgumentException.class, () -> new LearningRateSchedule(1, 0, 4, 1.5));
    LearningRateSchedule s = new LearningRateSchedule(1, 0, 4, 0);
    assertThrows(IllegalArgumentException.class, () -> s.at(-1));
  }
}
