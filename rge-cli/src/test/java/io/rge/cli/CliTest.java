package io.rge.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import io.rge.core.ProjectVersion;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.NoSuchFileException;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

class CliTest {

  /** What a run printed and returned. */
  record Outcome(int exitCode, String out, String err) {}

  static Outcome run(Object command, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Cli.run(command, new PrintWriter(out), new PrintWriter(err), args);
    return new Outcome(code, out.toString(), err.toString());
  }

  @Command(
      name = "demo",
      mixinStandardHelpOptions = true,
      description = "A demo command.",
      subcommands = {Greet.class, Fail.class, Crash.class, DebugProbe.class})
  static final class Demo implements Runnable {
    @Override
    public void run() {}
  }

  @Command(name = "greet", mixinStandardHelpOptions = true, description = "Say hello.")
  static final class Greet implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(names = "--name", required = true)
    String name;

    @Option(names = "--code")
    int code;

    @Override
    public Integer call() {
      spec.commandLine().getOut().println("hello " + name);
      return code;
    }
  }

  @Command(name = "fail", description = "Fail with a cause.")
  static final class Fail implements Runnable {
    @Override
    public void run() {
      throw new IllegalStateException(
          "cannot load the model", new NoSuchFileException("/nowhere/model.safetensors"));
    }
  }

  @Command(name = "crash", description = "Fail with an Error.")
  static final class Crash implements Runnable {
    @Override
    public void run() {
      throw new UnsatisfiedLinkError("no libtorch in /opt/torch");
    }
  }

  @Command(name = "probe", description = "Print whether io.rge logs at DEBUG.")
  static final class DebugProbe implements Runnable {
    @Spec CommandSpec spec;

    @Override
    public void run() {
      spec.commandLine()
          .getOut()
          .println("debug=" + LoggerFactory.getLogger("io.rge.probe").isDebugEnabled());
    }
  }

  @Test
  void successReturnsZeroOrTheCommandsCode() {
    Outcome ok = run(new Demo(), "greet", "--name", "Ada");
    assertEquals(0, ok.exitCode());
    assertEquals("hello Ada" + System.lineSeparator(), ok.out());
    assertEquals("", ok.err());
    assertEquals(3, run(new Demo(), "greet", "--name", "Ada", "--code", "3").exitCode());
  }

  @Test
  void usageErrorExitsTwoWithMessageAndHintNamingTheCommand() {
    Outcome missing = run(new Demo(), "greet");
    assertEquals(2, missing.exitCode());
    assertEquals(
        "error: Missing required option: '--name=<name>'"
            + System.lineSeparator()
            + "Try 'demo greet --help'."
            + System.lineSeparator(),
        missing.err());
    assertEquals("", missing.out());

    Outcome badType = run(new Demo(), "greet", "--name", "x", "--code", "many");
    assertEquals(2, badType.exitCode());
    assertTrue(badType.err().contains("'many'"), badType.err());

    Outcome unknown = run(new Demo(), "gret");
    assertEquals(2, unknown.exitCode());
    assertTrue(unknown.err().startsWith("error: unknown command 'gret'"), unknown.err());
    assertTrue(unknown.err().contains("Did you mean: greet?"), unknown.err());
    assertTrue(unknown.err().endsWith("Try 'demo --help'." + System.lineSeparator()));
  }

  @Test
  void misspeltRequiredOptionIsSuggested() {
    Outcome misspelt = run(new Demo(), "greet", "--nam", "Ada");
    assertEquals(2, misspelt.exitCode());
    assertTrue(
        misspelt.err().startsWith("error: Missing required option: '--name=<name>'"),
        misspelt.err());
    assertTrue(misspelt.err().contains("Did you mean: --name?"), misspelt.err());
    assertTrue(misspelt.err().endsWith("Try 'demo greet --help'." + System.lineSeparator()));
  }

  @Test
  void failureExitsOneWithCauseChainAndNoStackTrace() {
    Outcome failed = run(new Demo(), "fail");
    assertEquals(1, failed.exitCode());
    assertEquals(
        "error: cannot load the model: /nowhere/model.safetensors does not exist"
            + System.lineSeparator(),
        failed.err());

    Outcome crashed = run(new Demo(), "crash");
    assertEquals(1, crashed.exitCode());
    assertEquals(
        "error: UnsatisfiedLinkError: no libtorch in /opt/torch" + System.lineSeparator(),
        crashed.err());
  }

  @Test
  void verboseOnAnyCommandPrintsTheStackTrace() {
    for (String[] args :
        new String[][] {{"fail", "--verbose"}, {"--verbose", "fail"}, {"crash", "--verbose"}}) {
      Outcome failed = run(new Demo(), args);
      assertEquals(1, failed.exitCode());
      assertTrue(failed.err().contains("\tat "), failed.err());
      assertTrue(failed.err().contains(CliTest.class.getName()), failed.err());
      assertFalse(failed.err().startsWith("error:"), failed.err());
    }
    Outcome fail = run(new Demo(), "fail", "--verbose");
    assertTrue(fail.err().contains("java.lang.IllegalStateException: cannot load the model"));
    assertTrue(fail.err().contains("Caused by: java.nio.file.NoSuchFileException"));
  }

  @Test
  void verboseRaisesTheRgeLogLevelToDebugWhileTheCommandRuns() {
    Logger rge = (Logger) LoggerFactory.getLogger(VerboseLogging.RGE_LOGGER);
    Level before = rge.getLevel();
    assertEquals("debug=false" + System.lineSeparator(), run(new Demo(), "probe").out());
    assertEquals(
        "debug=true" + System.lineSeparator(), run(new Demo(), "probe", "--verbose").out());
    assertEquals(before, rge.getLevel(), "restored after the run");
    assertFalse(LoggerFactory.getLogger("io.rge.probe").isDebugEnabled());
  }

  @Test
  void helpAndVersionComeFromTheStandardOptions() {
    Outcome help = run(new Demo(), "--help");
    assertEquals(0, help.exitCode());
    assertTrue(help.out().startsWith("Usage: demo"), help.out());
    assertTrue(help.out().contains("--verbose"), help.out());
    assertTrue(help.out().contains("greet  Say hello."), help.out());

    Outcome subHelp = run(new Demo(), "greet", "--help");
    assertEquals(0, subHelp.exitCode());
    assertTrue(subHelp.out().contains("--verbose"), "inherited by subcommands: " + subHelp.out());

    Outcome version = run(new Demo(), "--version");
    assertEquals(0, version.exitCode());
    assertEquals("rge " + ProjectVersion.get() + System.lineSeparator(), version.out());
  }

  @Test
  void projectVersionIsTheFilteredPomVersion() {
    assertTrue(
        ProjectVersion.get().matches("\\d+\\.\\d+\\.\\d+(-SNAPSHOT)?"),
        "Maven filtering must replace the placeholder: " + ProjectVersion.get());
  }

  @Test
  void brokenCommandDefinitionIsAFailureNotACrash() {
    @Command(name = "broken")
    class Broken implements Runnable {
      @Option(names = "--x")
      int a;

      @Option(names = "--x")
      int b;

      @Override
      public void run() {}
    }
    Outcome broken = run(new Broken());
    assertEquals(1, broken.exitCode());
    assertTrue(broken.err().startsWith("error: "), broken.err());
    assertTrue(broken.err().contains("--x"), broken.err());
  }
}
