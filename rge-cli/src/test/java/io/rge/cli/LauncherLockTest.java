package io.rge.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code scripts/rge} started twice while it (re)builds: the second waits for the first's build and
 * then runs on it, instead of reading a class path that is being rewritten (issue 19, point 4).
 * Maven and Java are stand-ins that record their calls, so no real build runs.
 */
class LauncherLockTest {
  @TempDir Path root;

  @Test
  void aSecondLauncherWaitsForTheFirstsBuildAndDoesNotBuildAgain() throws Exception {
    Files.createDirectories(root.resolve("scripts"));
    Files.copy(Path.of("..", "scripts", "rge"), root.resolve("scripts/rge"));
    executable(root.resolve("scripts/rge"));
    Files.writeString(root.resolve("pom.xml"), "<project/>\n");
    Path bin = Files.createDirectories(root.resolve("bin"));
    Path builds = root.resolve("builds.log");
    // A slow build that writes what the launcher reads afterwards.
    Files.writeString(
        bin.resolve("mvn"),
        "#!/bin/sh\n"
            + "echo build >>'"
            + builds
            + "'\n"
            + "sleep 2\n"
            + "mkdir -p rge-cli/target/classes\n"
            + "printf '%s' \"$PWD/bin\" >rge-cli/target/rge-classpath.txt\n"
            + "mkdir -p rge-spark/target\n"
            + "printf '%s' \"$PWD/bin\" >rge-spark/target/spark-classpath.txt\n");
    Path jdk = Files.createDirectories(root.resolve("jdk/bin"));
    Files.writeString(jdk.resolve("java"), "#!/bin/sh\necho \"ran $*\"\n");
    executable(bin.resolve("mvn"));
    executable(jdk.resolve("java"));

    Process first = start(bin, "first");
    Thread.sleep(300);
    Process second = start(bin, "second");
    assertTrue(first.waitFor(60, TimeUnit.SECONDS) && second.waitFor(60, TimeUnit.SECONDS));
    String firstOut = new String(first.getInputStream().readAllBytes());
    String secondOut = new String(second.getInputStream().readAllBytes());
    String secondErr = new String(second.getErrorStream().readAllBytes());
    assertEquals(0, first.exitValue(), firstOut);
    assertEquals(0, second.exitValue(), secondErr);
    assertTrue(firstOut.contains("ran") && firstOut.contains("first"), firstOut);
    assertTrue(secondOut.contains("second"), secondOut + secondErr);
    assertTrue(secondErr.contains("waiting for another rge"), secondErr);
    assertEquals(List.of("build"), Files.readAllLines(builds), "one build for both");
  }

  private Process start(Path bin, String arg) throws IOException {
    ProcessBuilder pb = new ProcessBuilder("sh", root.resolve("scripts/rge").toString(), arg);
    pb.environment().put("PATH", bin + ":/usr/bin:/bin");
    pb.environment().put("JAVA_HOME", root.resolve("jdk").toString());
    pb.environment().remove("RGE_JAVA_OPTS");
    return pb.start();
  }

  private static void executable(Path file) throws IOException {
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
  }
}
