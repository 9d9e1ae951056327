package io.rge.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import org.junit.jupiter.api.Test;

class DjlEngineTest {

  @Test
  void engineStartsOfflineWithTrackingOff() {
    Engine engine = DjlEngine.get();
    assertEquals("PyTorch", engine.getEngineName());
    assertTrue(DjlEngine.isOffline(), "ai.djl.offline must be true once the engine is up");
    assertEquals("true", System.getProperty("OPT_OUT_TRACKING"));
    try (NDManager manager = engine.newBaseManager()) {
      NDArray product =
          manager
              .create(new float[] {1, 2, 3, 4}, new ai.djl.ndarray.types.Shape(2, 2))
              .matMul(manager.create(new float[] {1, 1}, new ai.djl.ndarray.types.Shape(2, 1)));
      assertEquals(3f, product.getFloat(0, 0));
      assertEquals(7f, product.getFloat(1, 0));
    }
  }

  @Test
  void deviceChoiceParsesAndResolves() {
    assertEquals(DeviceChoice.AUTO, DeviceChoice.parse(" Auto "));
    assertEquals(Device.cpu(), DjlEngine.device(DeviceChoice.CPU));
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> DeviceChoice.parse("tpu"));
    assertTrue(e.getMessage().contains("'tpu'"));
  }
}
