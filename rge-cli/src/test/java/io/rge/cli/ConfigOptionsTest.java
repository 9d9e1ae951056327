package io.rge.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.rge.core.config.LoadedConfig;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

class ConfigOptionsTest {
  record Run(
      @JsonProperty(required = true) String name,
      Optimizer optimizer,
      String dataDir,
      Integer seed) {}

  record Optimizer(double lr, Double weightDecay, List<Integer> milestones) {}

  @Command(name = "train", mixinStandardHelpOptions = true)
  static final class Train implements Callable<Integer> {
    @Mixin ConfigOptions options;
    @Spec CommandSpec spec;

    @Override
    public Integer call() {
      LoadedConfig<Run> loaded = options.load(Run.class);
      spec.commandLine()
          .getOut()
          .print(
              loaded.config().seed()
                  + " "
                  + loaded.config().optimizer().lr()
                  + " "
                  + loaded.resolve(loaded.config().dataDir()));
      return 0;
    }
  }

  @TempDir Path dir;

  private String[] run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Cli.run(new Train(), new PrintWriter(out), new PrintWriter(err), args);
    return new String[] {Integer.toString(code), out.toString(), err.toString()};
  }

  private Path config() throws IOException {
    Path file = dir.resolve("run.yaml");
    Files.writeString(file, "name: r\noptimizer: {lr: 0.5}\ndata_dir: imgs\n");
    return file;
  }

  @Test
  void loadsTheConfigWithRepeatedOverrides() throws IOException {
    String[] r = run("--config", config().toString(), "--set", "seed=3", "--set", "optimizer.lr=2");
    assertEquals("0", r[0], r[2]);
    assertEquals("3 2.0 " + dir.toAbsolutePath().resolve("imgs"), r[1]);
  }

  @Test
  void malformedOverrideOrMissingConfigIsAUsageError() throws IOException {
    String[] bad = run("--config", config().toString(), "--set", "seed");
    assertEquals("2", bad[0]);
    assertTrue(bad[2].contains("'seed' is not KEY=VALUE"), bad[2]);
    assertTrue(bad[2].contains("Try 'train --help'."), bad[2]);

    String[] missing = run("--set", "seed=3");
    assertEquals("2", missing[0]);
    assertTrue(missing[2].contains("--config=FILE"), missing[2]);
  }

  @Test
  void badConfigIsAFailureWithTheLocationAndNoStackTrace() throws IOException {
    Path file = config();
    String[] r = run("--config", file.toString(), "--set", "optimizer.momentum=0.9");
    assertEquals("1", r[0]);
    assertEquals(
        "error: --set optimizer.momentum=0.9: unknown key 'momentum' in 'optimizer'; known keys:"
            + " [lr, milestones, weight_decay]"
            + System.lineSeparator(),
        r[2]);
  }
}
