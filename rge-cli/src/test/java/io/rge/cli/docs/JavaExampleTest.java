package io.rge.cli.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Compiles the README's "use RGE as a Maven dependency" example against the reactor's artifacts
 * (this test's class path) and runs it in a fresh JVM on a model folder and an image, so the
 * documented API cannot rot; the example project {@code examples/consumer} must hold the same
 * program ({@code .ci/consumer-example} builds that project with its pom.xml against {@code mvn
 * install}'s output and runs it).
 */
class JavaExampleTest {

  @Test
  void theReadmeExampleCompilesAndRuns(@TempDir Path dir) throws Exception {
    ReadmeFixtures.create(dir);
    List<String> lines = ReadmeSnippets.block("java-example");
    String source = String.join("\n", lines) + "\n";
    assertTrue(lines.size() <= 20, "the README promises a short example, it has " + lines.size());
    Path consumer =
        ReadmeSnippets.readme().resolveSibling("examples/consumer/src/main/java/RgeExample.java");
    assertEquals(
        source,
        Files.readString(consumer),
        "examples/consumer (which .ci/consumer-example builds against `mvn install`) runs the"
            + " README's program");
    Path src = dir.resolve("src/RgeExample.java");
    Files.createDirectories(src.getParent());
    Files.writeString(src, source, StandardCharsets.UTF_8);
    Path classes = Files.createDirectories(dir.resolve("classes"));
    String classpath = System.getProperty("java.class.path");
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    ByteArrayOutputStream diagnostics = new ByteArrayOutputStream();
    int rc =
        javac.run(
            null,
            diagnostics,
            diagnostics,
            "-cp",
            classpath,
            "-d",
            classes.toString(),
            src.toString());
    assertEquals(0, rc, "javac: " + diagnostics.toString(StandardCharsets.UTF_8));

    Path image = dir.resolve("data/seed-0/images/eval/SynthShapeShift/000000.png");
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-Dai.djl.offline=true");
    cmd.add("-DOPT_OUT_TRACKING=true");
    cmd.add("-cp");
    cmd.add(classes + java.io.File.pathSeparator + classpath);
    cmd.add("RgeExample");
    cmd.add(dir.resolve(ReadmeFixtures.CHECKPOINT).toString());
    cmd.add(image.toString());
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(120, TimeUnit.SECONDS), "the example did not finish");
    assertEquals(0, p.exitValue(), out);
    assertTrue(out.contains("rationale:"), out);
    long scored = out.lines().filter(l -> l.matches(".*\\s-?[01]\\.\\d{3}$")).count();
    assertEquals(3, scored, "one similarity per label:\n" + out);
  }
}
