package io.rge.core.qwen25vl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rge.core.safetensors.CheckpointFiles;
import io.rge.core.safetensors.SafetensorsFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointWriterTest {
  @TempDir Path tmp;

  private static List<String> listing(Path dir) throws Exception {
    try (Stream<Path> files = Files.list(dir)) {
      return files.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  private static void write(Path dir, Qwen25VLConfig config, Map<String, float[]> values)
      throws Exception {
    write(dir, config, values, CheckpointWriter.DEFAULT_MAX_SHARD_BYTES);
  }

  private static void write(
      Path dir, Qwen25VLConfig config, Map<String, float[]> values, long maxShardBytes)
      throws Exception {
    CheckpointWriter.write(dir, config, TestCheckpoints.sourceOf(values), maxShardBytes);
  }

  @Test
  void fixtureWeightsRoundTripIdentically() throws Exception {
    Qwen25VLConfig config =
        ModelConfigReader.read(TestCheckpoints.tinyDir().resolve("config.json"));
    Map<String, float[]> original = TestCheckpoints.load(TestCheckpoints.tinyV5Dir(), config);
    Path dir = tmp.resolve("saved");
    write(dir, config, original);

    assertEquals(List.of("config.json", "model.safetensors"), listing(dir));
    assertEquals(List.of("saved"), listing(tmp), "no temporary folder left");
    assertEquals(config, ModelConfigReader.read(dir.resolve("config.json")));
    Map<String, float[]> reloaded = TestCheckpoints.load(dir, config);
    assertEquals(original.keySet(), reloaded.keySet());
    original.forEach((name, v) -> assertArrayEquals(v, reloaded.get(name), name));
    // Same values as transformers' own file, tensor by tensor.
    Map<String, float[]> reference =
        TestCheckpoints.floatsOf(TestCheckpoints.tinyDir().resolve("model.safetensors"));
    try (SafetensorsFile f = SafetensorsFile.open(dir.resolve("model.safetensors"))) {
      assertEquals("pt", f.metadata().get("format"));
      for (String name : reference.keySet()) {
        assertArrayEquals(reference.get(name), f.readFloats(name), name);
      }
    }
  }

  @Test
  void shardsLargeCheckpointsAndReloadsThem() throws Exception {
    Qwen25VLConfig config =
        ModelConfigReader.read(TestCheckpoints.tinyDir().resolve("config.json"));
    Map<String, float[]> original = TestCheckpoints.load(TestCheckpoints.tinyDir(), config);
    Path dir = tmp.resolve("sharded");
    write(dir, config, original, 400_000); // 995,968 bytes of F32 weights
    List<String> files = listing(dir);
    assertTrue(files.contains(CheckpointFiles.INDEX_FILE), files.toString());
    assertTrue(files.contains("model-00001-of-00003.safetensors"), files.toString());
    assertEquals(5, files.size(), files.toString()); // 3 shards + index + config
    assertTrue(Files.readString(dir.resolve("config.json")).contains("\"float32\""));
    Map<String, float[]> reloaded = TestCheckpoints.load(dir, config);
    original.forEach((name, v) -> assertArrayEquals(v, reloaded.get(name), name));
  }

  @Test
  void writesEveryTensorOfTheLayout() throws Exception {
    Qwen25VLConfig config = TestCheckpoints.smallConfig(false);
    Map<String, float[]> values = TestCheckpoints.weightsFor(config);
    Path dir = tmp.resolve("arrays");
    write(dir, config, values);
    Map<String, float[]> loaded =
        TestCheckpoints.load(dir, ModelConfigReader.read(dir.resolve("config.json")));
    assertEquals(CheckpointLayout.expectedShapes(config).keySet(), loaded.keySet());
    values.forEach((n, v) -> assertArrayEquals(v, loaded.get(n), n));
  }

  @Test
  void refusesToOverwriteACheckpoint() throws Exception {
    Qwen25VLConfig config = TestCheckpoints.smallConfig(true);
    Map<String, float[]> values = TestCheckpoints.weightsFor(config);
    Path dir = tmp.resolve("existing");
    Files.createDirectories(dir);
    Files.writeString(dir.resolve("tokenizer.json"), "{}");
    CheckpointException e =
        assertThrows(CheckpointException.class, () -> write(dir, config, values));
    assertTrue(e.getMessage().contains("not empty"), e.getMessage());
    assertEquals(List.of("tokenizer.json"), listing(dir), "existing files untouched");

    Path empty = tmp.resolve("empty");
    Files.createDirectories(empty);
    write(empty, config, values);
    assertEquals(List.of("config.json", "model.safetensors"), listing(empty));
  }

  @Test
  void aFailingSourceLeavesNothingBehind() throws Exception {
    Qwen25VLConfig config = TestCheckpoints.smallConfig(true);
    Map<String, float[]> values = new TreeMap<>(TestCheckpoints.weightsFor(config));
    values.remove("model.norm.weight");
    Path dir = tmp.resolve("bad");
    CheckpointException e =
        assertThrows(CheckpointException.class, () -> write(dir, config, values));
    assertTrue(e.getMessage().contains("model.norm.weight"), e.getMessage());
    assertTrue(Files.notExists(dir));

    values.put("model.norm.weight", new float[3]);
    IllegalStateException counts =
        assertThrows(IllegalStateException.class, () -> write(dir, config, values));
    assertTrue(
        counts.getMessage().contains("'model.norm.weight' produced 3 values, expected 8"),
        counts.getMessage());
    assertTrue(Files.notExists(dir));
    assertEquals(List.of(), listing(tmp), "no temporary folder left");
  }
}
