package io.rge.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import io.rge.core.DjlEngine;
import io.rge.core.precision.ComputePrecision;
import io.rge.training.precision.LossScale;
import org.junit.jupiter.api.Test;

class TrainingPrecisionTest {
  @Test
  void cpuTrainsInWhatIsAskedAndBf16WithoutTheMarkerIsTheClearError() {
    DjlEngine.get(); // the stock JNI library, which has no .bf16 marker
    Device cpu = Device.cpu();
    assertEquals(ComputePrecision.FP32, TrainingPrecision.check(null, cpu));
    assertEquals(ComputePrecision.FP32, TrainingPrecision.check(ComputePrecision.FP32, cpu));
    assertEquals(ComputePrecision.FP16, TrainingPrecision.check(ComputePrecision.FP16, cpu));
    IllegalStateException e =
        assertThrows(
            IllegalStateException.class, () -> TrainingPrecision.check(ComputePrecision.BF16, cpu));
    assertTrue(e.getMessage().contains("scripts/build-djl-jni"), e.getMessage());
    // A plan creates no array: bf16 is planned without the marker.
    assertEquals(ComputePrecision.BF16, TrainingPrecision.planned(ComputePrecision.BF16, cpu));
  }

  @Test
  void onlyFp16ScalesItsLoss() {
    assertEquals(LossScale.dynamic(), TrainingPrecision.initialLossScale(ComputePrecision.FP16));
    assertEquals(65536.0, TrainingPrecision.initialLossScale(ComputePrecision.FP16).scale());
    assertEquals(LossScale.none(), TrainingPrecision.initialLossScale(ComputePrecision.BF16));
    assertEquals(LossScale.none(), TrainingPrecision.initialLossScale(ComputePrecision.FP32));
  }
}
