package io.rge.cli.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import jdk.jshell.JShell;
import jdk.jshell.Snippet;
import jdk.jshell.SnippetEvent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the README's JShell session, line by line, through the {@code jdk.jshell} API with the
 * launcher's startup script: every snippet must evaluate without error, the rationale must be a
 * string and the similarities one number per candidate. Paths under {@code runs/quickstart/} point
 * at a stand-in made by {@link ReadmeFixtures}.
 */
class JshellSessionTest {
  /** What the launcher's {@code --startup DEFAULT} gives every session (jshell's own default). */
  private static final String DEFAULT_STARTUP =
      "import java.io.*;\nimport java.math.*;\nimport java.net.*;\nimport java.nio.file.*;\n"
          + "import java.util.*;\nimport java.util.concurrent.*;\nimport java.util.function.*;\n"
          + "import java.util.prefs.*;\nimport java.util.regex.*;\nimport java.util.stream.*;\n";

  @Test
  void theReadmeSessionRuns(@TempDir Path dir) throws Exception {
    ReadmeFixtures.create(dir);
    Path startup = ReadmeSnippets.readme().resolveSibling("scripts/rge-startup.jsh");
    List<String> session = new ArrayList<>();
    for (String line : ReadmeSnippets.block("jshell")) {
      if (line.startsWith("jshell> ")) {
        session.add(
            line.substring("jshell> ".length())
                .replace("runs/quickstart/", dir.toString().replace('\\', '/') + "/"));
      }
    }
    assertTrue(session.size() >= 5, "the README session is too short: " + session);
    try (JShell shell = JShell.builder().executionEngine("local").build()) {
      for (String cp : System.getProperty("java.class.path").split(java.io.File.pathSeparator)) {
        shell.addToClasspath(cp);
      }
      for (String snippet : splitStartup(DEFAULT_STARTUP + Files.readString(startup), shell)) {
        evaluate(shell, snippet);
      }
      String last = null;
      for (String line : session) {
        // As the jshell tool does: a statement typed without its ';' is completed.
        for (String snippet : splitStartup(line, shell)) {
          last = evaluate(shell, snippet);
        }
      }
      String rationale = value(shell, "q.rationale()");
      assertNotNull(rationale);
      assertTrue(rationale.startsWith("\""), "rationale is a string: " + rationale);
      assertNotNull(last);
      String[] scores = last.replaceAll("[\\[\\]]", "").split(",");
      assertEquals(3, scores.length, last);
      for (String s : scores) {
        double v = Double.parseDouble(s.trim());
        assertTrue(v >= -1.0001 && v <= 1.0001, "a cosine similarity: " + v);
      }
    }
  }

  /** Complete snippets of {@code source}, split (and completed) the way jshell reads input. */
  private static List<String> splitStartup(String source, JShell shell) {
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

  private static String evaluate(JShell shell, String code) {
    String value = null;
    for (SnippetEvent e : shell.eval(code)) {
      if (e.exception() != null) {
        throw new AssertionError("'" + code + "' threw " + e.exception(), e.exception());
      }
      if (e.status() == Snippet.Status.REJECTED) {
        List<String> errors = shell.diagnostics(e.snippet()).map(d -> d.getMessage(null)).toList();
        throw new AssertionError("'" + code + "' was rejected: " + errors);
      }
      if (e.value() != null) {
        value = e.value();
      }
    }
    assertFalse(code.isBlank());
    return value;
  }

  private static String value(JShell shell, String expression) {
    return evaluate(shell, expression);
  }
}
