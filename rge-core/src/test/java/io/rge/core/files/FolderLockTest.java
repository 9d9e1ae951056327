package io.rge.core.files;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A folder lock excludes a second process (a child JVM holds the folder: an OS file lock is per
 * process, so only a second JVM shows that it works across processes) and a second claim in the
 * same JVM, names the folder and the holder (pid, purpose) in its refusal, and ends with its
 * holder, even one killed with SIGKILL.
 */
class FolderLockTest {
  @TempDir Path dir;

  /** The child JVM: holds {@code args[0]} until its standard input closes, or it is killed. */
  public static final class Holder {
    public static void main(String[] args) throws Exception {
      try (FolderLock lock = FolderLock.acquire(Path.of(args[0]), "the holder test")) {
        System.out.println("held " + ProcessHandle.current().pid());
        System.out.flush();
        System.in.read(); // until the parent closes our stdin
      }
    }
  }

  @Test
  void anotherProcessIsRefusedWhileItHoldsTheFolderAndServedAfter() throws Exception {
    Path folder = dir.resolve("run");
    Process child = startHolder(folder);
    try {
      long pid = awaitHeld(child);
      FolderInUseException e =
          assertThrows(FolderInUseException.class, () -> FolderLock.acquire(folder, "rge train"));
      assertTrue(
          e.getMessage().startsWith(folder + " is in use by the holder test (pid " + pid),
          e.getMessage());
      assertEquals(folder, e.folder());
      child.getOutputStream().close();
      assertTrue(child.waitFor(60, TimeUnit.SECONDS));
      assertEquals(0, child.exitValue());
    } finally {
      child.destroyForcibly();
    }
    try (FolderLock lock = FolderLock.acquire(folder, "rge train")) {
      String holder = Files.readString(folder.resolve(FolderLock.FILE_NAME));
      assertTrue(holder.startsWith("rge train (pid " + ProcessHandle.current().pid()), holder);
    }
  }

  @Test
  void aKilledHolderLeavesTheFolderFree() throws Exception {
    Path folder = dir.resolve("run");
    Process child = startHolder(folder);
    awaitHeld(child);
    assertThrows(FolderInUseException.class, () -> FolderLock.acquire(folder, "rge train"));
    child.destroyForcibly(); // SIGKILL: no close, no shutdown hook
    assertTrue(child.waitFor(60, TimeUnit.SECONDS));
    try (FolderLock lock = FolderLock.acquire(folder, "rge train")) {
      assertEquals(folder, lock.folder());
    }
  }

  @Test
  void aSecondClaimInTheSameProcessIsRefusedWithoutReleasingTheFirst() throws Exception {
    Path folder = dir.resolve("run");
    try (FolderLock first = FolderLock.acquire(folder, "rge eval")) {
      FolderInUseException e =
          assertThrows(
              FolderInUseException.class,
              () -> FolderLock.acquire(folder.resolve("..").resolve("run"), "rge eval"));
      assertTrue(
          e.getMessage().contains("rge eval (pid " + ProcessHandle.current().pid()),
          e.getMessage());
      // The refused claim closed nothing of the first: another process is still kept out.
      Process child = startHolder(folder);
      try {
        assertTrue(child.waitFor(60, TimeUnit.SECONDS));
        String out = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(1, child.exitValue(), out);
        assertTrue(out.contains(folder + " is in use by rge eval"), out);
      } finally {
        child.destroyForcibly();
      }
    }
    try (FolderLock again = FolderLock.acquire(folder, "rge eval")) {
      assertEquals(folder, again.folder());
    }
  }

  private static Process startHolder(Path folder) throws Exception {
    List<String> cmd =
        List.of(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-cp",
            System.getProperty("java.class.path"),
            Holder.class.getName(),
            folder.toString());
    return new ProcessBuilder(cmd).redirectErrorStream(true).start();
  }

  /** Waits for the holder's "held PID" line; returns the pid. */
  private static long awaitHeld(Process child) throws Exception {
    BufferedReader out =
        new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
    String line = out.readLine();
    assertTrue(line != null && line.startsWith("held "), "the holder said " + line);
    return Long.parseLong(line.substring("held ".length()).strip());
  }
}
