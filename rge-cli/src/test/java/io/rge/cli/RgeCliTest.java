package io.rge.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import io.rge.core.DjlEngine;
import io.rge.core.ProjectVersion;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Command;

class RgeCliTest {
  private static final String NL = System.lineSeparator();

  record Outcome(int exitCode, String out, String err) {}

  private static Outcome run(Object command, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Cli.run(command, new PrintWriter(out), new PrintWriter(err), args);
    return new Outcome(code, out.toString(), err.toString());
  }

  @Command(name = "explode", description = "Fail on purpose.")
  static final class Explode implements Runnable {
    @Override
    public void run() {
      throw new IllegalStateException(
          "checkpoint is incomplete", new IllegalArgumentException("shard 3 of 4 is missing"));
    }
  }

  private static CommandLine withExplode() {
    CommandLine rge = new CommandLine(new RgeCli());
    rge.addSubcommand(new Explode());
    return rge;
  }

  @Test
  void helpListsTheCommandsWithTheirDescriptions() {
    Outcome help = run(new RgeCli(), "--help");
    assertEquals(0, help.exitCode());
    assertTrue(help.out().startsWith("Usage: rge [-hV] [--verbose] COMMAND"), help.out());
    // Column widths follow the longest command name, so match name and description separately.
    assertTrue(
        help.out().matches("(?s).*\\n  version +Print the RGE, DJL and PyTorch versions.*"),
        help.out());
    for (String command : new CommandLine(new RgeCli()).getSubcommands().keySet()) {
      assertTrue(help.out().contains("\n  " + command + " "), command + " missing:\n" + help.out());
    }
    assertEquals("", help.err());
  }

  @Test
  void everyCommandTakesHelpAndVerbose() {
    for (String command : new CommandLine(new RgeCli()).getSubcommands().keySet()) {
      Outcome help = run(new RgeCli(), command, "--help");
      assertEquals(0, help.exitCode(), command);
      assertTrue(help.out().contains("--verbose"), command + ": " + help.out());
    }
  }

  @Test
  void versionPrintsTheVersions() {
    Outcome version = run(new RgeCli(), "version");
    assertEquals(0, version.exitCode(), version.err());
    assertTrue(version.out().contains("RGE      " + ProjectVersion.get() + NL), version.out());
    assertTrue(version.out().contains("DJL      " + Engine.getDjlVersion() + NL), version.out());
    assertTrue(
        version.out().contains("PyTorch  " + DjlEngine.get().getVersion() + NL), version.out());
    assertTrue(version.out().contains("device   "), version.out());

    Outcome flag = run(new RgeCli(), "--version");
    assertEquals("rge " + ProjectVersion.get() + NL, flag.out());
  }

  @Test
  void unknownCommandIsAUsageErrorWithAHint() {
    Outcome unknown = run(new RgeCli(), "nosuchcommand");
    assertEquals(2, unknown.exitCode());
    assertTrue(unknown.err().startsWith("error: unknown command 'nosuchcommand'" + NL));
    assertTrue(unknown.err().endsWith("Try 'rge --help'." + NL), unknown.err());
    assertEquals("", unknown.out());

    Outcome badOption = run(new RgeCli(), "version", "--colour");
    assertEquals(2, badOption.exitCode());
    assertTrue(badOption.err().contains("Unknown option: '--colour'"), badOption.err());
    assertTrue(badOption.err().endsWith("Try 'rge version --help'." + NL), badOption.err());
  }

  @Test
  void misspeltConfigOptionSuggestsTheRealOne() {
    Outcome misspelt = run(new RgeCli(), "train", "--confg", "x.yaml");
    assertEquals(2, misspelt.exitCode());
    assertTrue(misspelt.err().contains("Did you mean: --config?"), misspelt.err());
    assertTrue(misspelt.err().endsWith("Try 'rge train --help'." + NL), misspelt.err());
  }

  @Test
  void noCommandPrintsTheUsageAsAUsageError() {
    Outcome bare = run(new RgeCli());
    assertEquals(2, bare.exitCode());
    assertTrue(bare.err().startsWith("Usage: rge"), bare.err());
    assertEquals("", bare.out());
  }

  @Test
  void failingCommandExitsOneWithTheCauseAndNoStackTrace() {
    Outcome failed = run(withExplode(), "explode");
    assertEquals(1, failed.exitCode());
    assertEquals("error: checkpoint is incomplete: shard 3 of 4 is missing" + NL, failed.err());
  }

  @Test
  void verboseShowsTheStackTrace() {
    Outcome failed = run(withExplode(), "--verbose", "explode");
    assertEquals(1, failed.exitCode());
    assertTrue(
        failed.err().startsWith("java.lang.IllegalStateException: checkpoint is incomplete"),
        failed.err());
    assertTrue(failed.err().contains("\tat " + Explode.class.getName()), failed.err());
    assertTrue(failed.err().contains("Caused by: java.lang.IllegalArgumentException"));
    assertFalse(failed.err().contains("error: "), failed.err());
  }
}
