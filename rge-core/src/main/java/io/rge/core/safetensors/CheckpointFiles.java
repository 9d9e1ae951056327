package io.rge.core.safetensors;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.rge.core.text.JsonSyntax;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The safetensors files of a Hugging Face model folder, seen as one set of named tensors: either a
 * single {@code model.safetensors} or the shards listed in {@code model.safetensors.index.json}
 * (the single file wins when both exist, as in transformers).
 *
 * <p>The index is validated on open: every shard it names is a plain file name in the folder that
 * exists, and every tensor it maps is present in its shard. Folders holding only pickled PyTorch
 * checkpoints ({@code .bin}, {@code .pt}, {@code .pth}) are refused: unpickling can run arbitrary
 * code, so RGE never loads them.
 */
public final class CheckpointFiles implements AutoCloseable {
  public static final String SINGLE_FILE = "model.safetensors";
  public static final String INDEX_FILE = "model.safetensors.index.json";

  private static final Logger LOG = LoggerFactory.getLogger(CheckpointFiles.class);
  private static final long MAX_INDEX_BYTES = 64L << 20;

  private final Path dir;
  private final List<SafetensorsFile> files;
  private final Map<String, SafetensorsFile> owner;

  private CheckpointFiles(
      Path dir, List<SafetensorsFile> files, Map<String, SafetensorsFile> owner) {
    this.dir = dir;
    this.files = files;
    this.owner = owner;
  }

  /** Opens the checkpoint in {@code dir}; see the class comment for what is checked. */
  public static CheckpointFiles open(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      throw new SafetensorsException(dir + ": not a folder");
    }
    Path single = dir.resolve(SINGLE_FILE);
    Path index = dir.resolve(INDEX_FILE);
    if (Files.isRegularFile(single)) {
      if (Files.exists(index)) {
        LOG.debug("{}: using {} and ignoring {}", dir, SINGLE_FILE, INDEX_FILE);
      }
      SafetensorsFile file = SafetensorsFile.open(single);
      Map<String, SafetensorsFile> owner = new TreeMap<>();
      file.names().forEach(n -> owner.put(n, file));
      return new CheckpointFiles(dir, List.of(file), Collections.unmodifiableMap(owner));
    }
    if (Files.isRegularFile(index)) {
      return openSharded(dir, index);
    }
    throw noCheckpoint(dir);
  }

  /** The folder this checkpoint was opened from. */
  public Path dir() {
    return dir;
  }

  /** The safetensors files, in shard order. */
  public List<Path> files() {
    return files.stream().map(SafetensorsFile::path).toList();
  }

  /** Names of all tensors of the checkpoint, sorted. */
  public Set<String> names() {
    return owner.keySet();
  }

  /** The header entry of {@code name}. */
  public TensorInfo info(String name) {
    return fileOf(name).info(name);
  }

  /** The file holding {@code name}, to read it with. */
  public SafetensorsFile fileOf(String name) {
    SafetensorsFile file = owner.get(name);
    if (file == null) {
      throw new SafetensorsException(dir + ": checkpoint has no tensor '" + name + "'");
    }
    return file;
  }

  @Override
  public void close() throws IOException {
    IOException failure = null;
    for (SafetensorsFile f : files) {
      try {
        f.close();
      } catch (IOException e) {
        failure = e;
      }
    }
    if (failure != null) {
      throw failure;
    }
  }

  private static CheckpointFiles openSharded(Path dir, Path index) throws IOException {
    if (Files.size(index) > MAX_INDEX_BYTES) {
      throw new SafetensorsException(
          index + ": " + Files.size(index) + " bytes, too large for an index");
    }
    JsonNode root;
    try {
      root = new ObjectMapper().readTree(Files.readAllBytes(index));
    } catch (JsonProcessingException e) {
      throw new SafetensorsException(JsonSyntax.describe(index.toString(), e), e);
    }
    JsonNode weightMap = root == null ? null : root.get("weight_map");
    if (weightMap == null || !weightMap.isObject()) {
      throw new SafetensorsException(index + ": field 'weight_map' is missing or not an object");
    }
    Map<String, String> shardOf = new TreeMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = weightMap.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      if (!e.getValue().isTextual()) {
        throw new SafetensorsException(
            index + ": field 'weight_map." + e.getKey() + "' must be a file name string");
      }
      shardOf.put(e.getKey(), e.getValue().asText());
    }
    Map<String, SafetensorsFile> shards = new LinkedHashMap<>();
    Map<String, SafetensorsFile> owner = new TreeMap<>();
    try {
      for (Map.Entry<String, String> e : shardOf.entrySet()) {
        String shardName = e.getValue();
        SafetensorsFile shard = shards.get(shardName);
        if (shard == null) {
          Path shardPath = shardPath(dir, index, e.getKey(), shardName);
          shard = SafetensorsFile.open(shardPath);
          shards.put(shardName, shard);
        }
        if (!shard.contains(e.getKey())) {
          throw new SafetensorsException(
              index
                  + ": tensor '"
                  + e.getKey()
                  + "' is mapped to "
                  + shardName
                  + ", which does not contain it");
        }
        owner.put(e.getKey(), shard);
      }
    } catch (IOException | RuntimeException e) {
      for (SafetensorsFile f : shards.values()) {
        f.close();
      }
      throw e;
    }
    for (SafetensorsFile shard : shards.values()) {
      for (String name : shard.names()) {
        if (owner.get(name) != shard) {
          LOG.warn(
              "{}: tensor '{}' is not mapped to this shard by the index; ignored",
              shard.path(),
              name);
        }
      }
    }
    return new CheckpointFiles(
        dir, List.copyOf(shards.values()), Collections.unmodifiableMap(owner));
  }

  /** Resolves a shard name from the index, allowing only plain file names inside {@code dir}. */
  private static Path shardPath(Path dir, Path index, String tensor, String shardName) {
    boolean plain =
        !shardName.isEmpty()
            && !shardName.contains("/")
            && !shardName.contains("\\")
            && !shardName.equals("..")
            && !shardName.equals(".")
            && !Path.of(shardName).isAbsolute();
    if (!plain) {
      throw new SafetensorsException(
          index
              + ": tensor '"
              + tensor
              + "' maps to '"
              + shardName
              + "', which is not a plain file name in the folder");
    }
    Path shardPath = dir.resolve(shardName);
    if (!Files.isRegularFile(shardPath)) {
      throw new SafetensorsException(
          index
              + ": shard '"
              + shardName
              + "' (for tensor '"
              + tensor
              + "') does not exist in "
              + dir);
    }
    return shardPath;
  }

  private static SafetensorsException noCheckpoint(Path dir) throws IOException {
    List<String> pickled = new ArrayList<>();
    List<String> otherSafetensors = new ArrayList<>();
    try (Stream<Path> entries = Files.list(dir)) {
      entries
          .map(p -> p.getFileName().toString())
          .sorted()
          .forEach(
              name -> {
                if (name.endsWith(".bin")
                    || name.endsWith(".pt")
                    || name.endsWith(".pth")
                    || name.equals("pytorch_model.bin.index.json")) {
                  pickled.add(name);
                } else if (name.endsWith(".safetensors")) {
                  otherSafetensors.add(name);
                }
              });
    }
    if (!pickled.isEmpty()) {
      return new SafetensorsException(
          dir
              + ": only pickled PyTorch checkpoints found "
              + pickled
              + ". RGE never loads pickled checkpoints (unpickling can execute arbitrary code)."
              + " Convert the model to safetensors first, e.g. in Python with transformers:"
              + " model = AutoModelForImageTextToText.from_pretrained(dir);"
              + " model.save_pretrained(out_dir, safe_serialization=True)");
    }
    if (!otherSafetensors.isEmpty()) {
      return new SafetensorsException(
          dir
              + ": no "
              + SINGLE_FILE
              + " or "
              + INDEX_FILE
              + " (found "
              + otherSafetensors
              + "; shards need their index file)");
    }
    return new SafetensorsException(
        dir + ": no checkpoint found (expected " + SINGLE_FILE + " or " + INDEX_FILE + ")");
  }
}
