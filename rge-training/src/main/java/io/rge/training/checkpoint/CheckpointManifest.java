package io.rge.training.checkpoint;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rge.core.files.AtomicFiles;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;
import java.util.zip.CRC32C;

/**
 * {@code checkpoint.json}, the completion marker of a training checkpoint: written last, it lists
 * every other file of the folder with its size and CRC32C. A folder without it, or whose files do
 * not match it (missing, truncated, changed), is not a usable checkpoint.
 *
 * <p>CRC32C rather than a cryptographic hash: it guards against truncation and bit rot, not
 * tampering, and runs at memory speed on the tens of gigabytes of a full-size checkpoint.
 */
public final class CheckpointManifest {
  /** The marker's file name. */
  public static final String FILE_NAME = "checkpoint.json";

  static final String FORMAT = "rge-checkpoint";
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
  private static final int BUFFER = 1 << 20;

  private CheckpointManifest() {}

  /**
   * Lists every regular file now in {@code folder} (not the marker itself) into the marker, written
   * to a temporary file and renamed.
   */
  public static void write(Path folder, long step) throws IOException {
    Map<String, long[]> files = new TreeMap<>();
    try (Stream<Path> entries = Files.list(folder)) {
      for (Path p : entries.sorted().toList()) {
        String name = p.getFileName().toString();
        if (Files.isRegularFile(p) && !name.equals(FILE_NAME) && !name.startsWith(".")) {
          files.put(name, new long[] {Files.size(p), crc(p)});
        }
      }
    }
    ObjectNode root = JSON.createObjectNode();
    root.put("format", FORMAT);
    root.put("version", 1);
    root.put("step", step);
    ObjectNode list = root.putObject("files");
    files.forEach(
        (name, v) -> list.putObject(name).put("bytes", v[0]).put("crc32c", Long.toHexString(v[1])));
    AtomicFiles.write(
        folder.resolve(FILE_NAME),
        (JSON.writeValueAsString(root) + "\n").getBytes(StandardCharsets.UTF_8));
  }

  /**
   * Checks {@code folder} against its marker.
   *
   * @return the problem, or empty when the checkpoint is complete and intact
   */
  public static Optional<String> verify(Path folder, List<String> requiredFiles) {
    Path marker = folder.resolve(FILE_NAME);
    if (!Files.isRegularFile(marker)) {
      return Optional.of("no " + FILE_NAME + " (incomplete: the write did not finish)");
    }
    JsonNode root;
    try {
      root = JSON.readTree(marker.toFile());
    } catch (IOException e) {
      return Optional.of(FILE_NAME + " is unreadable: " + e.getMessage());
    }
    if (root == null || !FORMAT.equals(root.path("format").asText()) || !root.has("files")) {
      return Optional.of(FILE_NAME + " is not an RGE checkpoint marker");
    }
    JsonNode files = root.get("files");
    for (String required : requiredFiles) {
      if (!files.has(required)) {
        return Optional.of(FILE_NAME + " does not list " + required);
      }
    }
    Iterator<Map.Entry<String, JsonNode>> it = files.fields();
    while (it.hasNext()) {
      Map.Entry<String, JsonNode> e = it.next();
      Path file = folder.resolve(e.getKey()).normalize();
      if (!file.getParent().equals(folder.normalize())) {
        return Optional.of(FILE_NAME + " names a file outside the folder: " + e.getKey());
      }
      try {
        if (!Files.isRegularFile(file)) {
          return Optional.of(e.getKey() + " is missing");
        }
        long bytes = Files.size(file);
        long expected = e.getValue().path("bytes").asLong(-1);
        if (bytes != expected) {
          return Optional.of(
              e.getKey() + " has " + bytes + " bytes, expected " + expected + " (truncated?)");
        }
        String crc = Long.toHexString(crc(file));
        if (!crc.equals(e.getValue().path("crc32c").asText())) {
          return Optional.of(e.getKey() + " fails its CRC32C check (corrupt)");
        }
      } catch (IOException ex) {
        return Optional.of("cannot read " + e.getKey() + ": " + ex.getMessage());
      }
    }
    return Optional.empty();
  }

  private static long crc(Path file) throws IOException {
    CRC32C crc = new CRC32C();
    byte[] buffer = new byte[BUFFER];
    try (InputStream in = Files.newInputStream(file)) {
      for (int n; (n = in.read(buffer)) > 0; ) {
        crc.update(buffer, 0, n);
      }
    }
    return crc.getValue();
  }
}
