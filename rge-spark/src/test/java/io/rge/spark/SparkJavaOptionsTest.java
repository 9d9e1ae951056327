package io.rge.spark;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The JVM options scripts/rge gives its spark-* commands (scripts/spark-java-options) are those
 * this module's tests run Spark with (the root pom's rge.spark.javaOptions): the tests vouch for
 * them.
 */
class SparkJavaOptionsTest {
  @Test
  void theLauncherPassesTheOptionsTheTestsRunWith() throws IOException {
    Path file = Path.of("..", "scripts", "spark-java-options");
    List<String> options =
        Files.readAllLines(file).stream()
            .map(String::strip)
            .filter(l -> !l.isEmpty() && !l.startsWith("#"))
            .toList();
    assertTrue(options.size() >= 10, options.toString());
    List<String> jvm = ManagementFactory.getRuntimeMXBean().getInputArguments();
    for (String option : options) {
      assertTrue(jvm.contains(option), option + " is not in the test JVM's options " + jvm);
    }
    long opens = jvm.stream().filter(o -> o.startsWith("--add-opens")).count();
    assertTrue(
        opens == options.stream().filter(o -> o.startsWith("--add-opens")).count(),
        "the pom has --add-opens that " + file + " lacks: " + jvm);
  }
}
