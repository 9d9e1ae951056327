package io.rge.core.safetensors;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SafetensorsWriterTest {
  @TempDir Path tmp;

  private static float[] ramp(int n, float scale) {
    float[] v = new float[n];
    for (int i = 0; i < n; i++) {
      v[i] = (i - n / 2f) * scale;
    }
    return v;
  }

  @Test
  void writesTheReferenceLayout() throws Exception {
    Path file = tmp.resolve("t.safetensors");
    ByteBuffer half =
        ByteBuffer.wrap(RawSafetensors.le16(0x3c00, 0xbc00, 0x0001)).order(ByteOrder.LITTLE_ENDIAN);
    new SafetensorsWriter()
        .addFloats("z.last", new long[] {2, 3}, ramp(6, 0.5f))
        .addLongs("a.first", new long[] {3}, new long[] {-1, 0, 1L << 50})
        .addBytes("m.half", DType.F16, new long[] {3}, half)
        .write(file);

    byte[] bytes = Files.readAllBytes(file);
    long n = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).getLong();
    assertEquals(0, n % 8, "header padded to 8 bytes");
    String header = new String(bytes, 8, (int) n, StandardCharsets.UTF_8);
    assertTrue(header.startsWith("{\"__metadata__\":{\"format\":\"pt\"},\"a.first\""), header);
    assertTrue(header.indexOf("\"m.half\"") < header.indexOf("\"z.last\""), "keys sorted");
    String padding = header.substring(header.lastIndexOf('}') + 1);
    assertTrue(padding.chars().allMatch(c -> c == ' '), "padding is spaces: '" + padding + "'");
    assertTrue(padding.length() < 8);
    JsonNode json = new ObjectMapper().readTree(header);
    assertEquals("[0,24]", json.get("a.first").get("data_offsets").toString());
    assertEquals("[24,30]", json.get("m.half").get("data_offsets").toString());
    assertEquals("[30,54]", json.get("z.last").get("data_offsets").toString());
    assertEquals(8 + n + 54, bytes.length);

    try (SafetensorsFile st = SafetensorsFile.open(file)) {
      assertArrayEquals(ramp(6, 0.5f), st.readFloats("z.last"));
      assertArrayEquals(new long[] {2, 3}, st.info("z.last").shape());
      assertArrayEquals(new long[] {-1, 0, 1L << 50}, st.readLongs("a.first"));
      assertArrayEquals(new float[] {1f, -1f, 0x1p-24f}, st.readFloats("m.half"));
    }
    assertNoTempFiles(tmp);
  }

  @Test
  void rejectsInconsistentInput() {
    SafetensorsWriter w = new SafetensorsWriter().addFloats("x", new long[] {2}, new float[2]);
    assertThrows(
        IllegalArgumentException.class, () -> w.addFloats("x", new long[] {2}, new float[2]));
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> w.addFloats("y", new long[] {2, 2}, new float[3]));
    assertTrue(e.getMessage().contains("'y'"), e.getMessage());
    assertThrows(
        IllegalArgumentException.class,
        () -> w.addFloats("__metadata__", new long[] {1}, new float[1]));
  }

  @Test
  void shardsLikeTransformersAndReadsBack() throws Exception {
    SafetensorsWriter w = new SafetensorsWriter();
    List<String> names = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      String name = "layer." + i + ".weight";
      names.add(name);
      w.addFloats(name, new long[] {10, 10}, ramp(100, i + 1)); // 400 bytes each
    }
    w.addFloats("huge", new long[] {500}, ramp(500, 0.1f)); // 2000 bytes: larger than a shard
    List<Path> written = w.writeSharded(tmp, 1000);

    // Sorted: huge, layer.0..4 -> [huge] [layer.0, layer.1] [layer.2, layer.3] [layer.4]
    assertEquals(
        List.of(
            "model-00001-of-00004.safetensors",
            "model-00002-of-00004.safetensors",
            "model-00003-of-00004.safetensors",
            "model-00004-of-00004.safetensors",
            CheckpointFiles.INDEX_FILE),
        written.stream().map(p -> p.getFileName().toString()).toList());
    JsonNode index = new ObjectMapper().readTree(tmp.resolve(CheckpointFiles.INDEX_FILE).toFile());
    assertEquals(4000, index.get("metadata").get("total_size").asLong());
    assertEquals("model-00001-of-00004.safetensors", index.get("weight_map").get("huge").asText());
    assertEquals(
        "model-00003-of-00004.safetensors", index.get("weight_map").get("layer.3.weight").asText());

    try (CheckpointFiles files = CheckpointFiles.open(tmp)) {
      assertEquals(4, files.files().size());
      assertEquals(6, files.names().size());
      for (int i = 0; i < 5; i++) {
        assertArrayEquals(ramp(100, i + 1), files.fileOf(names.get(i)).readFloats(names.get(i)));
      }
      assertArrayEquals(ramp(500, 0.1f), files.fileOf("huge").readFloats("huge"));
    }
    assertNoTempFiles(tmp);
  }

  @Test
  void writesOneFileWithoutIndexWhenEverythingFits() throws Exception {
    List<Path> written =
        new SafetensorsWriter().addFloats("w", new long[] {4}, ramp(4, 1)).writeSharded(tmp, 1000);
    assertEquals(List.of(tmp.resolve(CheckpointFiles.SINGLE_FILE)), written);
    assertTrue(Files.notExists(tmp.resolve(CheckpointFiles.INDEX_FILE)));
  }

  static void assertNoTempFiles(Path dir) throws Exception {
    try (Stream<Path> files = Files.list(dir)) {
      assertTrue(files.noneMatch(p -> p.getFileName().toString().endsWith(".tmp")));
    }
  }
}
