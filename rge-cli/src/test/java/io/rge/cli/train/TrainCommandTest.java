package io.rge.cli.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rge.cli.Cli;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line's error handling (a real run is covered by the trainer tests). */
class TrainCommandTest {
  @TempDir Path dir;

  private int run(StringWriter err, String... args) {
    return Cli.run(new Train(), new PrintWriter(new StringWriter()), new PrintWriter(err), args);
  }

  @Test
  void aConfigErrorIsAFailureNamingThePosition() throws Exception {
    Path file = dir.resolve("bad.yaml");
    Files.writeString(file, "model:\n  preset: tiny\nbatch_sise: 4\n");
    StringWriter err = new StringWriter();
    assertEquals(1, run(err, "--config", file.toString()));
    assertTrue(
        err.toString()
            .startsWith("error: " + file + ":3:1: unknown key 'batch_sise' at the top level"),
        err.toString());
  }

  @Test
  void usageErrorsExitWithTwo() {
    StringWriter err = new StringWriter();
    assertEquals(2, run(err, "--config", "x.yaml", "--device", "tpu"));
    assertTrue(
        err.toString().contains("device 'tpu' is not one of cpu, gpu, auto"), err.toString());
    assertEquals(2, run(new StringWriter()));
  }

  @Test
  void aBadDevicesEntryIsAUsageErrorNamingIt() {
    StringWriter err = new StringWriter();
    assertEquals(2, run(err, "--config", "x.yaml", "--devices", "gpu0,tpu1"));
    assertTrue(
        err.toString().contains("devices: 'tpu1' is not cpu, gpu<N> (gpu0, gpu1, ...) or all"),
        err.toString());
  }
}
