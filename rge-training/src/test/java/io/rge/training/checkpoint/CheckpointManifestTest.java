package io.rge.training.checkpoint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointManifestTest {
  @TempDir Path dir;

  @BeforeEach
  void files() throws IOException {
    Files.write(dir.resolve("model.safetensors"), new byte[4096]);
    Files.writeString(dir.resolve("config.json"), "{\"a\": 1}");
  }

  private Optional<String> verify() {
    return CheckpointManifest.verify(dir, List.of("model.safetensors", "config.json"));
  }

  @Test
  void anIntactFolderVerifies() throws IOException {
    CheckpointManifest.write(dir, 7);
    assertEquals(Optional.empty(), verify());
    assertTrue(Files.readString(dir.resolve("checkpoint.json")).contains("\"step\" : 7"));
  }

  @Test
  void aFolderWithoutTheMarkerIsIncomplete() {
    assertTrue(verify().orElseThrow().contains("incomplete"));
  }

  @Test
  void truncationIsDetectedBySize() throws IOException {
    CheckpointManifest.write(dir, 7);
    try (RandomAccessFile f =
        new RandomAccessFile(dir.resolve("model.safetensors").toFile(), "rw")) {
      f.setLength(1000);
    }
    assertEquals(
        Optional.of("model.safetensors has 1000 bytes, expected 4096 (truncated?)"), verify());
  }

  @Test
  void aChangedByteIsDetectedByTheChecksum() throws IOException {
    CheckpointManifest.write(dir, 7);
    try (RandomAccessFile f =
        new RandomAccessFile(dir.resolve("model.safetensors").toFile(), "rw")) {
      f.seek(2000);
      f.write(1);
    }
    assertEquals(Optional.of("model.safetensors fails its CRC32C check (corrupt)"), verify());
  }

  @Test
  void aMissingOrUnlistedRequiredFileIsDetected() throws IOException {
    CheckpointManifest.write(dir, 7);
    Files.delete(dir.resolve("config.json"));
    assertEquals(Optional.of("config.json is missing"), verify());
    assertEquals(
        Optional.of("checkpoint.json does not list tokenizer.json"),
        CheckpointManifest.verify(dir, List.of("tokenizer.json")));
  }

  @Test
  void aGarbledMarkerIsReported() throws IOException {
    Files.writeString(dir.resolve("checkpoint.json"), "{not json");
    assertTrue(verify().orElseThrow().startsWith("checkpoint.json is unreadable"));
  }
}
