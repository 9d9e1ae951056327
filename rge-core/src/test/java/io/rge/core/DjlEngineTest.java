package io.rge.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class DjlEngineTest {

  /**
   * Runs in a child JVM started without the properties and environment surefire sets for the tests:
   * prints them before and after {@link DjlEngine#get()} and one product on the engine.
   */
  static final class Probe {
    public static void main(String[] args) {
      String before =
          System.getProperty("ai.djl.offline") + "," + System.getProperty("OPT_OUT_TRACKING");
      Engine engine = DjlEngine.get();
      String after =
          System.getProperty("ai.djl.offline") + "," + System.getProperty("OPT_OUT_TRACKING");
      try (NDManager manager = engine.newBaseManager()) {
        NDArray product =
            manager
                .create(new float[] {1, 2, 3, 4}, new Shape(2, 2))
                .matMul(manager.create(new float[] {1, 1}, new Shape(2, 1)));
        System.out.println(
            "probe before="
                + before
                + " after="
                + after
                + " engine="
                + engine.getEngineName()
                + " product="
                + product.getFloat(0, 0)
                + ","
                + product.getFloat(1, 0));
      }
    }
  }

  @Test
  void preparesTheEngineOfflineWithTrackingOffInAJvmThatLacksBoth() throws Exception {
    List<String> cmd =
        List.of(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-cp",
            System.getProperty("java.class.path"),
            Probe.class.getName());
    ProcessBuilder builder = new ProcessBuilder(cmd).redirectErrorStream(true);
    builder.environment().remove("OPT_OUT_TRACKING");
    builder.environment().remove("JAVA_TOOL_OPTIONS");
    builder.environment().remove("JDK_JAVA_OPTIONS");
    Process p = builder.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(120, TimeUnit.SECONDS), "the probe did not finish");
    assertEquals(0, p.exitValue(), out);
    String line = out.lines().filter(l -> l.startsWith("probe ")).findFirst().orElse(out);
    assertEquals(
        "probe before=null,null after=true,true engine=PyTorch product=3.0,7.0", line, out);
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
