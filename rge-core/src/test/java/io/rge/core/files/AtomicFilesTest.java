package io.rge.core.files;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFilesTest {
  @TempDir Path dir;

  @Test
  void writesIntoNewFoldersAndReplacesExistingFiles() throws IOException {
    Path file = dir.resolve("a/b/report.md");
    AtomicFiles.write(file, "first".getBytes(StandardCharsets.UTF_8));
    assertEquals("first", Files.readString(file));
    AtomicFiles.write(file, out -> out.write("second".getBytes(StandardCharsets.UTF_8)));
    assertEquals("second", Files.readString(file));
    assertEquals(List.of(file), files(file.getParent()));
  }

  @Test
  void aFailedWriteLeavesTheOldContentAndNoTemporaryFile() throws IOException {
    Path file = dir.resolve("scores.json");
    AtomicFiles.write(file, "{}".getBytes(StandardCharsets.UTF_8));
    IOException e =
        assertThrows(
            IOException.class,
            () ->
                AtomicFiles.write(
                    file,
                    out -> {
                      out.write("{\"half".getBytes(StandardCharsets.UTF_8));
                      throw new IOException("disk full");
                    }));
    assertEquals("cannot write " + file + ": disk full", e.getMessage(), "names the file");
    assertEquals("{}", Files.readString(file));
    assertEquals(List.of(file), files(dir));
  }

  private static List<Path> files(Path folder) throws IOException {
    try (Stream<Path> s = Files.list(folder)) {
      return s.sorted().toList();
    }
  }
}
