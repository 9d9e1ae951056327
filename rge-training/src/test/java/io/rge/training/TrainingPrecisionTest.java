package io.rge.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rge.core.precision.ComputePrecision;
import org.junit.jupiter.api.Test;

class TrainingPrecisionTest {
  @Test
  void autoAndFp32TrainInFp32AndHalfPrecisionsAreRefusedByName() {
    assertEquals(ComputePrecision.FP32, TrainingPrecision.check("auto"));
    assertEquals(ComputePrecision.FP32, TrainingPrecision.check("fp32"));
    for (String half : new String[] {"bf16", "fp16"}) {
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> TrainingPrecision.check(half));
      assertTrue(e.getMessage().startsWith("precision: " + half), e.getMessage());
      assertTrue(e.getMessage().contains("set precision: fp32"), e.getMessage());
    }
  }
}
