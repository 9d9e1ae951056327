package io.rge.testfixtures;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FixtureExtractionTest {
  private static final byte[] README = "fixtures\n".getBytes(StandardCharsets.UTF_8);
  private static final byte[] WEIGHTS = {0, 1, 2, 3, (byte) 0xff};

  @TempDir Path dir;

  @Test
  void mirrorsTheJarFolderAndNothingElse() throws IOException {
    Path jar = jar();
    Path out = FixtureExtraction.extract(jar, "fixtures", dir.resolve("out"));

    assertEquals(dir.resolve("out").toAbsolutePath().normalize(), out);
    assertArrayEquals(README, Files.readAllBytes(out.resolve("README.md")));
    assertArrayEquals(WEIGHTS, Files.readAllBytes(out.resolve("tiny/model.safetensors")));
    assertEquals(List.of("README.md", "tiny"), names(out));
    assertEquals(List.of("model.safetensors"), names(out.resolve("tiny")));
  }

  @Test
  void aSecondRunRepairsChangedFilesAndRemovesStrayOnes() throws IOException {
    Path jar = jar();
    Path out = FixtureExtraction.extract(jar, "fixtures", dir.resolve("out"));
    Files.write(out.resolve("tiny/model.safetensors"), new byte[] {9, 9, 9, 9, 9});
    Files.writeString(out.resolve("tiny/stale.json"), "{}");
    Files.delete(out.resolve("README.md"));

    FixtureExtraction.extract(jar, "fixtures", out);

    assertArrayEquals(WEIGHTS, Files.readAllBytes(out.resolve("tiny/model.safetensors")));
    assertArrayEquals(README, Files.readAllBytes(out.resolve("README.md")));
    assertFalse(Files.exists(out.resolve("tiny/stale.json")));
  }

  @Test
  void aJarWithoutTheFolderIsNamed() throws IOException {
    Path jar = jar();
    IOException e =
        assertThrows(
            IOException.class, () -> FixtureExtraction.extract(jar, "missing", dir.resolve("o")));
    assertEquals(jar + ": no folder 'missing'", e.getMessage());
  }

  /** A jar with the fixtures folder and an entry outside it, which must not be extracted. */
  private Path jar() throws IOException {
    Path jar = dir.resolve("fixtures.jar");
    try (OutputStream file = Files.newOutputStream(jar);
        ZipOutputStream zip = new ZipOutputStream(file)) {
      entry(zip, "fixtures/README.md", README);
      entry(zip, "fixtures/tiny/model.safetensors", WEIGHTS);
      entry(zip, "io/rge/Other.class", new byte[] {1});
    }
    return jar;
  }

  private static void entry(ZipOutputStream zip, String name, byte[] bytes) throws IOException {
    zip.putNextEntry(new ZipEntry(name));
    zip.write(bytes);
    zip.closeEntry();
  }

  private static List<String> names(Path folder) throws IOException {
    try (var files = Files.list(folder)) {
      return files.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }
}
