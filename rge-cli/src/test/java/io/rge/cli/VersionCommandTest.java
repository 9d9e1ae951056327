package io.rge.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import io.rge.core.DjlEngine;
import io.rge.core.ProjectVersion;
import org.junit.jupiter.api.Test;

class VersionCommandTest {

  @Test
  void printsProjectDjlAndPytorchVersionsAndTheDevice() {
    CliTest.Outcome outcome = CliTest.run(new VersionCommand());
    assertEquals(0, outcome.exitCode(), outcome.err());
    Engine engine = DjlEngine.get();
    String device = engine.getGpuCount() > 0 ? "gpu 0" : "cpu";
    String nl = System.lineSeparator();
    assertEquals(
        "RGE      "
            + ProjectVersion.get()
            + nl
            + "DJL      0.36.0"
            + nl
            + "PyTorch  2.7.1"
            + nl
            + "device   "
            + device
            + " (GPUs visible: "
            + engine.getGpuCount()
            + ")"
            + nl,
        outcome.out());
    assertEquals("0.36.0", Engine.getDjlVersion(), "the DJL pinned in the parent POM");
  }

  @Test
  void badDeviceIsAUsageError() {
    CliTest.Outcome outcome = CliTest.run(new VersionCommand(), "--device", "tpu");
    assertEquals(2, outcome.exitCode());
    assertTrue(outcome.err().contains("device 'tpu' is not one of cpu, gpu, auto"), outcome.err());
    assertTrue(outcome.err().contains("Try 'version --help'."), outcome.err());
  }
}
