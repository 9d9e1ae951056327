package io.rge.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A JVM that {@code scripts/rge} started and that dies of a fatal error (here a stand-in command
 * that exhausts a small heap under {@code -XX:+CrashOnOutOfMemoryError}, which takes the JVM's
 * native-crash path: exit 134, an hs_err report) leaves its report in the launcher's crash folder,
 * not in the working folder, and the launcher's one line on stderr says what happened and where the
 * report is. Maven is a stand-in; Java is the real one.
 */
class LauncherCrashTest {
  @TempDir Path root;
  @TempDir Path work;

  @Test
  void aNativeCrashSaysSoInOneLineAndLeavesTheWorkingFolderClean() throws Exception {
    Files.createDirectories(root.resolve("scripts"));
    Files.copy(Path.of("..", "scripts", "rge"), root.resolve("scripts/rge"));
    Files.copy(Path.of("..", "scripts", "logback.xml"), root.resolve("scripts/logback.xml"));
    Files.writeString(root.resolve("pom.xml"), "<project/>\n");
    Path classes = Files.createDirectories(root.resolve("rge-cli/target/classes"));
    compileStandIn(classes);
    Path bin = Files.createDirectories(root.resolve("bin"));
    Files.writeString(
        bin.resolve("mvn"),
        "#!/bin/sh\n"
            + "printf '%s' \"$PWD/bin\" >rge-cli/target/rge-classpath.txt\n"
            + "mkdir -p rge-spark/target\n"
            + "printf '%s' \"$PWD/bin\" >rge-spark/target/spark-classpath.txt\n");
    Files.setPosixFilePermissions(bin.resolve("mvn"), PosixFilePermissions.fromString("rwxr-xr-x"));

    ProcessBuilder pb = new ProcessBuilder("sh", root.resolve("scripts/rge").toString(), "train");
    pb.directory(work.toFile());
    pb.environment().put("PATH", bin + ":/usr/bin:/bin");
    pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
    pb.environment().put("RGE_JAVA_OPTS", "-Xmx32m -XX:+CrashOnOutOfMemoryError");
    Process p = pb.start();
    p.getOutputStream().close();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(120, TimeUnit.SECONDS));

    assertEquals(134, p.exitValue(), err + out);
    Path crashes = root.resolve("target/rge-launcher/crashes");
    List<Path> reports;
    try (Stream<Path> files = Files.list(crashes)) {
      reports = files.toList();
    }
    assertEquals(1, reports.size(), reports.toString());
    Path report = reports.get(0);
    String pid = report.getFileName().toString().replaceAll("\\D", "");
    List<String> said = err.lines().filter(l -> l.startsWith("rge: ")).toList();
    assertEquals(
        List.of(
            "rge: the Java VM died of a native crash (process "
                + pid
                + ", a fault in native code such as PyTorch or DJL, not a Java error), its report: "
                + report),
        said,
        err);
    try (Stream<Path> files = Files.list(work)) {
      assertEquals(List.of(), files.toList(), "nothing in the working folder");
    }
  }

  /** {@code io.rge.cli.RgeCli} that fills the heap, compiled into {@code classes}. */
  private static void compileStandIn(Path classes) throws IOException {
    Path source = Files.createDirectories(classes.resolveSibling("src/io/rge/cli"));
    Path file = source.resolve("RgeCli.java");
    Files.writeString(
        file,
        "package io.rge.cli;\n"
            + "public class RgeCli {\n"
            + "  public static void main(String[] args) {\n"
            + "    java.util.List<long[]> kept = new java.util.ArrayList<>();\n"
            + "    while (true) kept.add(new long[1 << 20]);\n"
            + "  }\n"
            + "}\n");
    int rc =
        ToolProvider.getSystemJavaCompiler()
            .run(null, null, null, "-d", classes.toString(), file.toString());
    assertEquals(0, rc, "the stand-in compiles");
  }
}
