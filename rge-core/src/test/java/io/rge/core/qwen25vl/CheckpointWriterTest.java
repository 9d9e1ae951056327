package io.rge.core.qwen25vl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rge.core.safetensors.CheckpointFiles;
import io.rge.core.safetensors.Precision;
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

  @Test
  void fixtureWeightsRoundTripIdentically() throws Exception {
    Qwen25VLConfig config =
        ModelConfigReader.read(TestCheckpoints.tinyDir().resolve("config.json"));
    WeightSet original = WeightLoader.load(TestCheckpoints.tinyV5Dir(), config, Precision.FP32);
    Path dir = tmp.resolve("saved");
    CheckpointWriter.write(dir, config, original, CheckpointWriter.DEFAULT_MAX_SHARD_BYTES);

    assertEquals(List.of("config.json", "model.safetensors"), listing(dir));
    assertEquals(List.of("saved"), listing(tmp), "no temporary folder left");
    assertEquals(config, ModelConfigReader.read(dir.resolve("config.json")));
    WeightSet reloaded = WeightLoader.load(dir, config, Precision.FP32);
    assertEquals(original.names(), reloaded.names());
    for (String name : original.names()) {
      assertEquals(original.buffer(name), reloaded.buffer(name), name);
    }
    // Same bytes as transformers' own file, tensor by tensor.
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
    WeightSet original = WeightLoader.load(TestCheckpoints.tinyDir(), config, Precision.FP16);
    Path dir = tmp.resolve("sharded");
    CheckpointWriter.write(dir, config, original, 200_000);
    List<String> files = listing(dir);
    assertTrue(files.contains(CheckpointFiles.INDEX_FILE), files.toString());
    assertTrue(files.contains("model-00001-of-00003.safetensors"), files.toString());
    assertEquals(5, files.size(), files.toString()); // 3 shards + index + config
    assertTrue(Files.readString(dir.resolve("config.json")).contains("\"float16\""));
    WeightSet reloaded = WeightLoader.load(dir, config, Precision.FP16);
    for (String name : original.names()) {
      assertEquals(original.buffer(name), reloaded.buffer(name), name);
    }
  }

  @Test
  void writesFloatArrays() throws Exception {
    Qwen25VLConfig config = TestCheckpoints.smallConfig(false);
    Map<String, float[]> values = TestCheckpoints.weightsFor(config);
    Path dir = tmp.resolve("arrays");
    CheckpointWriter.write(dir, config, values, CheckpointWriter.DEFAULT_MAX_SHARD_BYTES);
    WeightSet loaded =
        WeightLoader.load(dir, ModelConfigReader.read(dir.resolve("config.json")), Precision.FP32);
    values.forEach((n, v) -> assertArrayEquals(v, loaded.floats(n), n));
  }

  @Test
  void refusesToOverwriteACheckpoint() throws Exception {
    Qwen25VLConfig config = TestCheckpoints.smallConfig(true);
    Map<String, float[]> values = TestCheckpoints.weightsFor(config);
    Path dir = tmp.resolve("existing");
    Files.createDirectories(dir);
    Files.writeString(dir.resolve("tokenizer.json"), "{}");
    CheckpointException e =
        assertThrows(
            CheckpointException.class,
            () ->
                CheckpointWriter.write(
                    dir, config, values, CheckpointWriter.DEFAULT_MAX_SHARD_BYTES));
    assertTrue(e.getMessage().contains("not empty"), e.getMessage());
    assertEquals(List.of("tokenizer.json"), listing(dir), "existing files untouched");

    Path empty = tmp.resolve("empty");
    Files.createDirectories(empty);
    CheckpointWriter.write(empty, config, values, CheckpointWriter.DEFAULT_MAX_SHARD_BYTES);
    assertEquals(List.of("config.json", "model.safetensors"), listing(empty));
  }

  @Test
  void refusesWeightsThatDoNotMatchTheConfig() throws Exception {
    Qwen25VLConfig config = TestCheckpoints.smallConfig(true);
    Map<String, float[]> values = new TreeMap<>(TestCheckpoints.weightsFor(config));
    values.remove("model.norm.weight");
    Path dir = tmp.resolve("bad");
    CheckpointException e =
        assertThrows(
            CheckpointException.class,
            () ->
                CheckpointWriter.write(
                    dir, config, values, CheckpointWriter.DEFAULT_MAX_SHARD_BYTES));
    assertTrue(e.getMessage().contains("1 missing [model.norm.weight]"), e.getMessage());
    assertTrue(Files.notExists(dir));

    values.put("model.norm.weight", new float[3]);
    CheckpointException counts =
        assertThrows(
            CheckpointException.class,
            () ->
                CheckpointWriter.write(
                    dir, config, values, CheckpointWriter.DEFAULT_MAX_SHARD_BYTES));
    assertTrue(
        counts.getMessage().contains("'model.norm.weight' has 3 values, expected 8"),
        counts.getMessage());
  }
}
