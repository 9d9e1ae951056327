package io.rge.cli.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import jdk.jshell.JShell;
import jdk.jshell.Snippet;
import jdk.jshell.SnippetEvent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the README's JShell session, line by line, through the {@code jdk.jshell} API with the
 * launcher's startup script, and compares every output line the README shows with what the session
 * prints, formatted as the jshell tool shows it in its concise feedback mode ({@code jshell -q}:
 * declarations print nothing, an expression prints {@code $N ==> value}, where N counts the
 * session's inputs, and strings keep their quotes).
 *
 * <p>What is compared, and why: the README shows what the session printed on the quickstart's
 * trained checkpoint on the machine the README names. A build cannot train that checkpoint (eight
 * minutes), so this test runs the session on a stand-in ({@link ReadmeFixtures}: an untrained tiny
 * model at the same paths) and checks that each shown output has exactly the form printed: the same
 * {@code $N} and line structure, a string where a string is printed, and each number with the
 * digits and decimals shown. The values themselves depend on the trained model and on the CPU
 * (floating-point results differ across CPUs, and greedy decoding can then pick another word), so
 * they are regenerated rather than compared with a tolerance: with {@code -Drge.readme.update=true}
 * and the quickstart's output in {@code runs/quickstart/}, the test runs the session verbatim there
 * and rewrites the README's block with what this machine prints.
 */
class JshellSessionTest {
  /** What the launcher's {@code --startup DEFAULT} gives every session (jshell's own default). */
  private static final String DEFAULT_STARTUP =
      "import java.io.*;\nimport java.math.*;\nimport java.net.*;\nimport java.nio.file.*;\n"
          + "import java.util.*;\nimport java.util.concurrent.*;\nimport java.util.function.*;\n"
          + "import java.util.prefs.*;\nimport java.util.regex.*;\nimport java.util.stream.*;\n";

  private static final String PROMPT = "jshell> ";
  private static final Pattern NUMBER = Pattern.compile("-?\\d+(\\.(\\d+))?");

  @Test
  void theReadmeSessionPrintsWhatTheReadmeShows(@TempDir Path dir) throws Exception {
    List<String> block = ReadmeSnippets.block("jshell");
    Path root = ReadmeSnippets.readme().getParent();
    if (Boolean.getBoolean("rge.readme.update")) {
      List<String> printed = transcript(block, root, "runs/quickstart/");
      ReadmeSnippets.replaceBlock("jshell", printed);
      return;
    }
    ReadmeFixtures.create(dir);
    List<String> printed = transcript(block, dir, "");
    assertEquals(block.size(), printed.size(), "lines:\n" + String.join("\n", printed));
    for (int i = 0; i < block.size(); i++) {
      String shown = block.get(i);
      if (shown.startsWith(PROMPT) || shown.startsWith("$ ")) {
        assertEquals(shown, printed.get(i).replace(dir.toString() + "/", "runs/quickstart/"));
      } else {
        assertTrue(
            printed.get(i).matches(shapeOf(shown)),
            "README line "
                + (i + 1)
                + " of the session shows\n  "
                + shown
                + "\nbut it prints\n  "
                + printed.get(i));
      }
    }
  }

  /**
   * The README's session run in a shell: its commands with {@code runs/quickstart/} replaced by
   * {@code base}, followed by what jshell prints for each (nothing for a declaration).
   */
  private static List<String> transcript(List<String> block, Path base, String prefix)
      throws Exception {
    Path startup = ReadmeSnippets.readme().resolveSibling("scripts/rge-startup.jsh");
    String folder = base.toString().replace('\\', '/') + "/" + prefix;
    List<String> out = new ArrayList<>();
    try (JShell shell = JShell.builder().executionEngine("local").build()) {
      for (String cp : System.getProperty("java.class.path").split(java.io.File.pathSeparator)) {
        shell.addToClasspath(cp);
      }
      // The local engine runs snippets in this JVM: what the startup prints goes to System.out.
      ByteArrayOutputStream greeting = new ByteArrayOutputStream();
      PrintStream console = System.out;
      System.setOut(new PrintStream(greeting, true, StandardCharsets.UTF_8));
      try {
        for (String snippet : split(DEFAULT_STARTUP + Files.readString(startup), shell)) {
          evaluate(shell, snippet);
        }
      } finally {
        System.setOut(console);
      }
      int input = 0;
      for (String line : block) {
        if (line.startsWith("$ ")) {
          out.add(line);
          out.addAll(greeting.toString(StandardCharsets.UTF_8).lines().toList());
        }
        if (!line.startsWith(PROMPT)) {
          continue;
        }
        out.add(line);
        input++;
        String code = line.substring(PROMPT.length()).replace("runs/quickstart/", folder);
        String value = null;
        boolean expression = false;
        // As the jshell tool does: a statement typed without its ';' is completed.
        for (String snippet : split(code, shell)) {
          Result r = evaluate(shell, snippet);
          value = r.value();
          expression = r.expression();
        }
        if (expression) {
          out.add("$" + input + " ==> " + value);
        }
      }
    }
    return out;
  }

  /** A regular expression for lines like {@code shown}: strings and numbers of the same form. */
  static String shapeOf(String shown) {
    StringBuilder regex = new StringBuilder();
    int at = 0;
    Matcher quoted = Pattern.compile("\"(?:[^\"\\\\]|\\\\.)*\"").matcher(shown);
    while (quoted.find()) {
      regex.append(numbers(shown.substring(at, quoted.start()))).append("\"(?:[^\"\\\\]|\\\\.)*\"");
      at = quoted.end();
    }
    return regex.append(numbers(shown.substring(at))).toString();
  }

  private static String numbers(String text) {
    StringBuilder regex = new StringBuilder();
    Matcher m = NUMBER.matcher(text);
    int at = 0;
    while (m.find()) {
      regex.append(Pattern.quote(text.substring(at, m.start())));
      regex.append(m.group(2) == null ? "-?\\d+" : "-?\\d+\\.\\d{" + m.group(2).length() + "}");
      at = m.end();
    }
    return regex.append(Pattern.quote(text.substring(at))).toString();
  }

  /** Complete snippets of {@code source}, split (and completed) the way jshell reads input. */
  private static List<String> split(String source, JShell shell) {
    List<String> out = new ArrayList<>();
    String rest = source;
    while (!rest.isBlank()) {
      var info = shell.sourceCodeAnalysis().analyzeCompletion(rest);
      if (info.source() == null || info.source().isBlank()) {
        break;
      }
      out.add(info.source());
      rest = info.remaining();
    }
    return out;
  }

  private record Result(String value, boolean expression) {}

  private static Result evaluate(JShell shell, String code) {
    String value = null;
    boolean expression = false;
    for (SnippetEvent e : shell.eval(code)) {
      if (e.exception() != null) {
        throw new AssertionError("'" + code + "' threw " + e.exception(), e.exception());
      }
      if (e.status() == Snippet.Status.REJECTED) {
        List<String> errors = shell.diagnostics(e.snippet()).map(d -> d.getMessage(null)).toList();
        throw new AssertionError("'" + code + "' was rejected: " + errors);
      }
      if (e.causeSnippet() == null && e.value() != null) {
        value = e.value();
        expression = e.snippet().subKind() == Snippet.SubKind.TEMP_VAR_EXPRESSION_SUBKIND;
      }
    }
    assertFalse(code.isBlank());
    return new Result(value, expression);
  }
}
