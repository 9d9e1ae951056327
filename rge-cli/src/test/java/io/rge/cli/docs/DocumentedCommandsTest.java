package io.rge.cli.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.rge.cli.Cli;
import io.rge.cli.RgeCli;
import io.rge.core.config.ConfigLoader;
import io.rge.eval.EvalConfig;
import io.rge.training.config.TrainConfig;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.ParseResult;

/**
 * Every {@code scripts/rge} command shown in README.md and configs/README.md, checked against the
 * real command line: it parses (the command and its options exist, required ones are given, values
 * convert), every file it names under {@code configs/} exists, and a {@code --config} loads with
 * its {@code --set} overrides (so a documented override names a real key). Running them needs data,
 * models and GPUs the build does not have; what runs for real is covered elsewhere: {@code mvn -B
 * verify} by {@code .ci/run}, the quickstart by {@code QuickstartEndToEndTest}, the JShell session
 * and the Java example by {@link JshellSessionTest} and {@link JavaExampleTest}.
 */
class DocumentedCommandsTest {
  @Test
  void everyDocumentedCommandParsesAndItsConfigLoads() throws Exception {
    Path root = ReadmeSnippets.readme().getParent();
    List<String> commands = new ArrayList<>();
    commands.addAll(shellCommands(root.resolve("README.md")));
    commands.addAll(shellCommands(root.resolve("configs/README.md")));
    assertTrue(commands.size() >= 10, "commands found: " + commands);
    int checked = 0;
    for (String command : commands) {
      List<String> words = List.of(command.trim().split("\\s+"));
      if (words.get(0).equals("scripts/build-djl-jni")) {
        // Building needs DJL's source and minutes of C++: check the options against its --help.
        String help = scriptHelp(root.resolve(words.get(0)));
        for (String word : words) {
          if (word.startsWith("--")) {
            assertTrue(help.contains(word + " "), command + ": --help does not know " + word);
          }
        }
        continue;
      }
      int at = words.indexOf("scripts/rge");
      if (at < 0) {
        // mvn, apt-get and the consumer example's commands: .ci/run, .ci/bf16 and
        // .ci/consumer-example run them.
        assertTrue(
            command.startsWith("mvn ")
                || command.startsWith("export ")
                || command.startsWith("apt-get install ")
                || command.startsWith("cd examples/consumer && mvn ")
                || command.startsWith("java -cp \"target/classes:target/lib/*\" RgeExample "),
            "a documented command this test does not know: " + command);
        continue;
      }
      List<String> args = words.subList(at + 1, words.size());
      if (args.get(0).equals("jshell")) {
        continue; // the launcher's own: JshellSessionTest runs its session
      }
      ParseResult parsed;
      try {
        parsed = Cli.commandLine(new RgeCli()).parseArgs(args.toArray(String[]::new));
      } catch (CommandLine.ParameterException e) {
        fail("README command does not parse: " + command + ": " + e.getMessage());
        return;
      }
      for (String word : args) {
        if (word.startsWith("configs/")) {
          assertTrue(Files.isRegularFile(root.resolve(word)), command + ": no " + word);
        }
      }
      ParseResult sub = parsed.subcommand();
      if (sub != null && sub.hasMatchedOption("--config")) {
        Path config = root.resolve(sub.matchedOptionValue("--config", Path.of("")));
        List<String> sets = sub.matchedOptionValue("--set", List.<String>of());
        Class<?> type =
            sub.commandSpec().name().equals("train") ? TrainConfig.class : EvalConfig.class;
        ConfigLoader.load(config, type, sets);
      }
      checked++;
    }
    assertTrue(checked >= 8, "commands checked: " + checked);
  }

  private static String scriptHelp(Path script) throws Exception {
    Process p =
        new ProcessBuilder("bash", script.toString(), "--help").redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(0, p.waitFor(), script + " --help: " + out);
    return out;
  }

  /** Lines of the {@code sh} blocks, comments dropped and {@code \} continuations joined. */
  private static List<String> shellCommands(Path markdown) throws Exception {
    List<String> out = new ArrayList<>();
    boolean inShell = false;
    StringBuilder pending = new StringBuilder();
    for (String line : Files.readAllLines(markdown)) {
      String trimmed = line.trim();
      if (trimmed.startsWith("```")) {
        inShell = !inShell && trimmed.equals("```sh");
        continue;
      }
      if (!inShell) {
        continue;
      }
      int hash = trimmed.indexOf('#');
      String code = (hash >= 0 ? trimmed.substring(0, hash) : trimmed).trim();
      if (code.endsWith("\\")) {
        pending.append(code, 0, code.length() - 1).append(' ');
        continue;
      }
      pending.append(code);
      if (!pending.toString().isBlank()) {
        out.add(pending.toString().trim());
      }
      pending.setLength(0);
    }
    assertEquals(0, pending.length(), markdown + ": a continued line without an end");
    return out;
  }
}
