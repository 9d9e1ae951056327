package io.rge.training.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.rge.training.config.TrainConfig;
import org.junit.jupiter.api.Test;

class RestartedScheduleTest {
  @Test
  void theSecondScheduleCountsFromTheRestart() {
    LearningRate first = step -> 1.0;
    LearningRate second = step -> 100.0 + step;
    RestartedSchedule s = new RestartedSchedule(first, 3, second);
    assertEquals(1.0, s.at(0));
    assertEquals(1.0, s.at(2));
    assertEquals(100.0, s.at(3));
    assertEquals(104.0, s.at(7));
    assertThrows(IllegalArgumentException.class, () -> s.at(-1));
  }

  @Test
  void aConfiguredRestartGivesTheJointStepsTheirOwnWarmUpAndCosine() {
    // 100 steps, 10 of linear warm-up to 1.0, decay to 0.1 of the peak; restart at 60 with peak 0.5
    // over the remaining 40 steps: 4 steps of warm-up (a tenth of them), then cosine.
    TrainConfig.Schedule config =
        new TrainConfig.Schedule(10, 100L, null, 0.1, new TrainConfig.Restart(60L, 0.5));
    LearningRate s = config.toSchedule(1.0, 100);
    // Before the restart: the one long schedule, by hand: p = (59 - 10) / 90.
    double p = 49.0 / 90;
    assertEquals(0.1 + 0.9 * 0.5 * (1 + Math.cos(Math.PI * p)), s.at(59), 1e-12);
    assertEquals(0.5 * 1 / 4, s.at(60), 1e-12);
    assertEquals(0.5, s.at(63), 1e-12);
    // Halfway through the decay (18 of 36 steps): 0.05 + 0.45 · (1 + cos(π/2)) / 2.
    assertEquals(0.05 + 0.45 * 0.5, s.at(64 + 18), 1e-12);
    // Without a restart: the same long schedule throughout.
    LearningRate plain = new TrainConfig.Schedule(10, 100L, null, 0.1, null).toSchedule(1.0, 100);
    assertEquals(new LearningRateSchedule(1.0, 10, 100, 0.1).at(80), plain.at(80), 1e-15);
  }

  @Test
  void aRestartMustFallInsideTheRun() {
    assertThrows(
        IllegalArgumentException.class,
        () -> new TrainConfig.Schedule(0, 10L, null, 0.1, new TrainConfig.Restart(10L, 0.5)));
    assertThrows(IllegalArgumentException.class, () -> new TrainConfig.Restart(0L, 0.5));
    assertThrows(IllegalArgumentException.class, () -> new TrainConfig.Restart(5L, 0.0));
  }
}
