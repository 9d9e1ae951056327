package io.rge.cli.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.rge.cli.Cli;
import io.rge.cli.RgeCli;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Walks every command of {@code rge} (as {@link Cli} builds it) so that option drift cannot come
 * back: an option name used by several commands means one thing everywhere (one description, one
 * default, one converter, one label), every option says what it does, a default is shown in the
 * help, and every command's help ends with examples that parse against the real command line.
 */
class OptionConsistencyTest {
  /**
   * Names whose meaning is each command's own, so their descriptions and defaults differ by design:
   * {@code --out} is a folder or a file with per-command defaults, {@code --config} a different
   * config type (required only for {@code train}), {@code --data} MMEB-eval or MMEB-train, {@code
   * --fresh} what is started over, {@code --size} synth's preset or the quickstart's plan.
   */
  private static final Set<String> COMMAND_OWN =
      Set.of("--out", "--config", "--data", "--fresh", "--size");

  private static final String EXAMPLE = "  scripts/rge";

  @Test
  void aSharedOptionHasOneDescriptionDefaultConverterAndLabelEverywhere() {
    Map<String, List<Declared>> byName = new LinkedHashMap<>();
    for (CommandLine command : commands()) {
      for (OptionSpec option : command.getCommandSpec().options()) {
        for (String name : option.names()) {
          byName
              .computeIfAbsent(name, n -> new ArrayList<>())
              .add(new Declared(command.getCommandSpec().qualifiedName(), option));
        }
      }
    }
    // The mixins this test guards: each is shared by several commands.
    for (String name :
        List.of(
            "--device",
            "--model",
            "--precision",
            "--max-new-tokens",
            "--batch-size",
            "--reasoning",
            "--max-image-pixels",
            "--no-progress",
            "--images",
            "--image-prefix",
            "--set")) {
      assertTrue(byName.getOrDefault(name, List.of()).size() >= 2, name + ": " + byName.get(name));
    }
    // version, parity, train, eval, spark-eval (eval's, inherited), embed, spark-embed, rationales,
    // adapters merge.
    assertEquals(10, byName.get("--device").size(), "the commands that run a model");
    List<String> drift = new ArrayList<>();
    for (Map.Entry<String, List<Declared>> e : byName.entrySet()) {
      if (COMMAND_OWN.contains(e.getKey()) || e.getValue().size() < 2) {
        continue;
      }
      Declared first = e.getValue().get(0);
      for (Declared other : e.getValue().subList(1, e.getValue().size())) {
        for (String difference : first.differencesFrom(other)) {
          drift.add(
              e.getKey() + " in " + first.command + " vs " + other.command + ": " + difference);
        }
      }
    }
    assertEquals(List.of(), drift);
  }

  @Test
  void theCommandsThatReportProgressTakeNoProgress() {
    Set<String> with = new TreeSet<>();
    for (CommandLine command : commands()) {
      if (command.getCommandSpec().optionsMap().containsKey("--no-progress")) {
        with.add(command.getCommandSpec().qualifiedName());
      }
    }
    // Those that hand a progress listener to the libraries (data synth reports none, but takes the
    // flag so that scripts can pass it to every data command alike).
    assertEquals(
        new TreeSet<>(
            Set.of(
                "rge train",
                "rge eval",
                "rge spark-eval",
                "rge rationales",
                "rge quickstart",
                "rge data synth")),
        with);
  }

  @Test
  void everyOptionHasADescriptionALabelAndItsDefaultShown() {
    List<String> problems = new ArrayList<>();
    for (CommandLine command : commands()) {
      String help = flat(command.getUsageMessage(CommandLine.Help.Ansi.OFF));
      for (OptionSpec option : command.getCommandSpec().options()) {
        String where = command.getCommandSpec().qualifiedName() + " " + option.longestName();
        if (String.join(" ", option.description()).isBlank()) {
          problems.add(where + ": no description");
        }
        if (option.arity().max() > 0 && option.paramLabel().startsWith("<")) {
          problems.add(where + ": picocli's placeholder " + option.paramLabel() + " as its label");
        }
        if (option.hidden() || option.usageHelp() || option.versionHelp()) {
          continue;
        }
        String shown = option.defaultValueString();
        if (option.arity().max() == 0
            || option.isMultiValue()
            || shown == null
            || "null".equals(shown)) {
          continue;
        }
        if (!help.contains("default: " + shown)) {
          problems.add(where + ": its default " + shown + " is not in --help");
        }
      }
    }
    assertEquals(List.of(), problems);
  }

  @Test
  void everyHelpEndsWithExamplesThatParse() throws Exception {
    Path root = ReadmeSnippets.readme().getParent();
    List<String> problems = new ArrayList<>();
    for (CommandLine command : commands()) {
      String name = command.getCommandSpec().qualifiedName();
      String help = command.getUsageMessage(CommandLine.Help.Ansi.OFF);
      int at = help.lastIndexOf("\nExamples:\n");
      if (at < 0) {
        problems.add(name + ": no Examples: section at the end of --help");
        continue;
      }
      List<String> examples = examples(help.substring(at + "\nExamples:\n".length()));
      if (examples.isEmpty()) {
        problems.add(name + ": no example under Examples:");
      }
      for (String example : examples) {
        List<String> words = words(example);
        List<String> args = words.subList(1, words.size());
        String path = String.join(" ", args.subList(0, Math.min(args.size(), depth(command))));
        String expected = name.substring("rge".length()).trim();
        if (!expected.isEmpty() && !path.equals(expected)) {
          problems.add(name + ": example of another command: " + example);
        }
        try {
          Cli.commandLine(new RgeCli()).parseArgs(args.toArray(String[]::new));
        } catch (CommandLine.ParameterException e) {
          problems.add(name + ": example does not parse: " + example + ": " + e.getMessage());
        }
        for (String word : args) {
          // Files of this repository that an example names must exist (data and models do not).
          if (word.startsWith("configs/") || word.contains("/src/test/resources/")) {
            if (!Files.exists(root.resolve(word))) {
              problems.add(name + ": example names a missing file " + word);
            }
          }
        }
      }
    }
    assertEquals(List.of(), problems);
  }

  @Test
  void oldSpellingsStayAsHiddenAliases() {
    CommandLine rge = Cli.commandLine(new RgeCli());
    Set<String> hidden = new TreeSet<>();
    for (CommandLine command : commands()) {
      for (OptionSpec option : command.getCommandSpec().options()) {
        if (option.hidden()) {
          hidden.add(command.getCommandSpec().qualifiedName() + " " + option.longestName());
          assertFalse(
              command.getUsageMessage(CommandLine.Help.Ansi.OFF).contains(option.longestName()),
              option.longestName() + " is hidden from " + command.getCommandSpec().qualifiedName());
        }
      }
    }
    assertEquals(Set.of("rge data inspect --max-pixels", "rge rationales --teacher"), hidden);
    CommandLine.ParseResult inspect =
        rge.parseArgs("data", "inspect", "somewhere", "--max-pixels", "1000");
    assertEquals(
        1000L, (long) inspect.subcommand().subcommand().matchedOptionValue("--max-pixels", 0L));
  }

  /** Every command of the tree but picocli's own {@code help}, the root first. */
  static List<CommandLine> commands() {
    List<CommandLine> all = new ArrayList<>();
    collect(Cli.commandLine(new RgeCli()), all);
    assertTrue(all.size() >= 14, "commands found: " + all.size());
    return all;
  }

  private static void collect(CommandLine command, List<CommandLine> into) {
    if (command.getCommandSpec().userObject() instanceof CommandLine.HelpCommand) {
      return;
    }
    into.add(command);
    for (CommandLine sub : command.getSubcommands().values()) {
      // picocli lists a subcommand once per alias; these have none.
      collect(sub, into);
    }
  }

  private static int depth(CommandLine command) {
    int depth = 0;
    for (CommandSpec s = command.getCommandSpec(); s.parent() != null; s = s.parent()) {
      depth++;
    }
    return depth;
  }

  /** The footer's example commands, {@code \} continuations joined. */
  private static List<String> examples(String footer) {
    List<String> out = new ArrayList<>();
    StringBuilder pending = new StringBuilder();
    for (String line : footer.split("\n")) {
      if (pending.length() == 0 && !line.startsWith(EXAMPLE)) {
        continue;
      }
      String code = line.trim();
      if (code.endsWith("\\")) {
        pending.append(code, 0, code.length() - 1).append(' ');
        continue;
      }
      out.add(pending.append(code).toString());
      pending.setLength(0);
    }
    assertEquals(0, pending.length(), "a continued example without an end: " + pending);
    return out;
  }

  /** Shell words, with single quotes grouping (the examples use no other quoting). */
  private static List<String> words(String command) {
    List<String> words = new ArrayList<>();
    StringBuilder word = new StringBuilder();
    boolean quoted = false;
    boolean any = false;
    for (char c : command.toCharArray()) {
      if (c == '\'') {
        quoted = !quoted;
        any = true;
      } else if (Character.isWhitespace(c) && !quoted) {
        if (any) {
          words.add(word.toString());
        }
        word.setLength(0);
        any = false;
      } else {
        word.append(c);
        any = true;
      }
    }
    if (quoted) {
      fail("an unterminated quote in " + command);
    }
    if (any) {
      words.add(word.toString());
    }
    return words;
  }

  private static String flat(String text) {
    return text.replaceAll("\\s+", " ");
  }

  /** One command's declaration of an option. */
  private record Declared(String command, OptionSpec option) {
    List<String> differencesFrom(Declared other) {
      List<String> out = new ArrayList<>();
      OptionSpec a = option;
      OptionSpec b = other.option;
      compare(out, "description", Arrays.asList(a.description()), Arrays.asList(b.description()));
      compare(out, "default", a.defaultValueString(), b.defaultValueString());
      compare(out, "label", a.paramLabel(), b.paramLabel());
      compare(out, "type", a.type(), b.type());
      compare(out, "names", Arrays.asList(a.names()), Arrays.asList(b.names()));
      compare(out, "hidden", a.hidden(), b.hidden());
      compare(out, "converter", converters(a), converters(b));
      return out;
    }

    private static List<Class<?>> converters(OptionSpec o) {
      return o.converters() == null
          ? List.of()
          : Arrays.stream(o.converters()).<Class<?>>map(Object::getClass).toList();
    }

    private static void compare(List<String> out, String what, Object a, Object b) {
      if (!java.util.Objects.equals(a, b)) {
        out.add(what + " " + a + " vs " + b);
      }
    }
  }
}
