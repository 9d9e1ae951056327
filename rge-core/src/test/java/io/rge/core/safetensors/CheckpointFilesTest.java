package io.rge.core.safetensors;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointFilesTest {
  @TempDir Path tmp;

  private static void assertMessage(Exception e, String... parts) {
    for (String part : parts) {
      assertTrue(e.getMessage().contains(part), "expected '" + part + "' in: " + e.getMessage());
    }
  }

  @Test
  void opensASingleFileCheckpoint() throws Exception {
    Path dir = SafetensorsFileTest.fixture("model.safetensors").getParent();
    try (CheckpointFiles files = CheckpointFiles.open(dir)) {
      assertEquals(1, files.files().size());
      assertTrue(files.names().contains("model.embed_tokens.weight"));
      assertArrayEquals(new long[] {512, 64}, files.info("model.embed_tokens.weight").shape());
    }
  }

  @Test
  void refusesPickledCheckpoints() throws Exception {
    Files.write(tmp.resolve("pytorch_model.bin"), new byte[] {(byte) 0x80, 2});
    Files.writeString(tmp.resolve("config.json"), "{}");
    SafetensorsException e =
        assertThrows(SafetensorsException.class, () -> CheckpointFiles.open(tmp));
    assertMessage(
        e,
        tmp.toString(),
        "pytorch_model.bin",
        "never loads pickled",
        "safetensors",
        "save_pretrained(",
        "safe_serialization=True");
  }

  @Test
  void refusesPtAndPthFiles() throws Exception {
    Files.write(tmp.resolve("weights.pt"), new byte[] {1});
    Files.write(tmp.resolve("other.pth"), new byte[] {1});
    SafetensorsException e =
        assertThrows(SafetensorsException.class, () -> CheckpointFiles.open(tmp));
    assertMessage(e, "other.pth", "weights.pt", "pickled");
  }

  @Test
  void emptyFolderAndMissingFolder() throws Exception {
    assertMessage(
        assertThrows(SafetensorsException.class, () -> CheckpointFiles.open(tmp)),
        "no checkpoint found");
    assertMessage(
        assertThrows(SafetensorsException.class, () -> CheckpointFiles.open(tmp.resolve("nope"))),
        "not a folder");
  }

  @Test
  void shardsWithoutTheirIndex() throws Exception {
    new SafetensorsWriter()
        .addFloats("w", new long[] {1}, new float[1])
        .write(tmp.resolve("model-00001-of-00002.safetensors"));
    assertMessage(
        assertThrows(SafetensorsException.class, () -> CheckpointFiles.open(tmp)),
        "model-00001-of-00002.safetensors",
        "index");
  }

  private void writeTwoShards() throws Exception {
    new SafetensorsWriter()
        .addFloats("a", new long[] {2}, new float[] {1, 2})
        .addFloats("b", new long[] {2}, new float[] {3, 4})
        .writeSharded(tmp, 8);
  }

  @Test
  void indexNamingAMissingShard() throws Exception {
    writeTwoShards();
    Files.delete(tmp.resolve("model-00002-of-00002.safetensors"));
    assertMessage(
        assertThrows(SafetensorsException.class, () -> CheckpointFiles.open(tmp)),
        CheckpointFiles.INDEX_FILE,
        "model-00002-of-00002.safetensors",
        "'b'",
        "does not exist");
  }

  @Test
  void indexMappingATensorToTheWrongShard() throws Exception {
    writeTwoShards();
    Path index = tmp.resolve(CheckpointFiles.INDEX_FILE);
    Files.writeString(
        index,
        Files.readString(index)
            .replace("\"b\" : \"model-00002-of-00002", "\"b\" : \"model-00001-of-00002"));
    assertMessage(
        assertThrows(SafetensorsException.class, () -> CheckpointFiles.open(tmp)),
        "tensor 'b'",
        "model-00001-of-00002.safetensors",
        "does not contain it");
  }

  @Test
  void indexPointingOutsideTheFolder() throws Exception {
    writeTwoShards();
    Files.writeString(
        tmp.resolve(CheckpointFiles.INDEX_FILE),
        "{\"weight_map\": {\"a\": \"../model-00001-of-00002.safetensors\"}}");
    assertMessage(
        assertThrows(SafetensorsException.class, () -> CheckpointFiles.open(tmp)),
        "not a plain file name");
  }

  @Test
  void malformedIndex() throws Exception {
    Files.writeString(tmp.resolve(CheckpointFiles.INDEX_FILE), "{\"weight_map\": [}");
    assertMessage(
        assertThrows(SafetensorsException.class, () -> CheckpointFiles.open(tmp)),
        CheckpointFiles.INDEX_FILE,
        "malformed JSON");
    Files.writeString(tmp.resolve(CheckpointFiles.INDEX_FILE), "{\"metadata\": {}}");
    assertMessage(
        assertThrows(SafetensorsException.class, () -> CheckpointFiles.open(tmp)), "'weight_map'");
  }
}
