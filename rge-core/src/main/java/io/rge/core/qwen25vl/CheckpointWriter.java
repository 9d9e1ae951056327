package io.rge.core.qwen25vl;

import io.rge.core.safetensors.DType;
import io.rge.core.safetensors.SafetensorsWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Writes a Qwen2.5-VL checkpoint folder that RGE and transformers both load: the weights under
 * canonical names as {@code model.safetensors} (or shards plus {@code
 * model.safetensors.index.json}) and {@code config.json} in the flat published layout.
 *
 * <p>The folder is assembled under a temporary name next to the target and renamed into place in
 * one step, so a crash never leaves a half-written checkpoint. The target must not exist or be an
 * empty folder; other files (tokenizer, preprocessor config) can be added after writing.
 */
public final class CheckpointWriter {
  /** transformers' default {@code max_shard_size} ("5GB"). */
  public static final long DEFAULT_MAX_SHARD_BYTES = 5_000_000_000L;

  private CheckpointWriter() {}

  /** Files written into a checkpoint's temporary folder before it is renamed into place. */
  @FunctionalInterface
  public interface ExtraFiles {
    void writeInto(Path folder) throws IOException;
  }

  /**
   * Writes the weights of a live model as F32, reading each tensor from {@code source} only when it
   * is written, plus {@code config.json} and whatever {@code extra} adds, to the new folder {@code
   * dir} in one atomic rename.
   */
  public static void write(
      Path dir, Qwen25VLConfig config, WeightSource source, long maxShardBytes, ExtraFiles extra)
      throws IOException {
    write(dir, config, source, DType.F32, maxShardBytes, extra);
  }

  /**
   * As {@link #write(Path, Qwen25VLConfig, WeightSource, long, ExtraFiles)} with the tensors stored
   * as {@code dtype}: F32, or BF16 (rounded to nearest even, {@code torch_dtype bfloat16}: what a
   * half-precision training run writes, the published Qwen2.5-VL checkpoints' type).
   */
  public static void write(
      Path dir,
      Qwen25VLConfig config,
      WeightSource source,
      DType dtype,
      long maxShardBytes,
      ExtraFiles extra)
      throws IOException {
    SafetensorsWriter writer = new SafetensorsWriter();
    for (Map.Entry<String, long[]> e : CheckpointLayout.expectedShapes(config).entrySet()) {
      writer.addFloats(
          e.getKey(), e.getValue(), dtype, () -> source.floats(e.getKey(), e.getValue()));
    }
    String torchDtype = dtype == DType.BF16 ? "bfloat16" : "float32";
    writeFolder(dir, config, writer, maxShardBytes, torchDtype, extra);
  }

  /** Weights, config.json and extra files into a temporary folder, renamed into place at once. */
  private static void writeFolder(
      Path dir,
      Qwen25VLConfig config,
      SafetensorsWriter writer,
      long maxShardBytes,
      String dtype,
      ExtraFiles extra)
      throws IOException {
    Path target = dir.toAbsolutePath();
    requireWritableTarget(target);
    Files.createDirectories(target.getParent());
    Path temp = Files.createTempDirectory(target.getParent(), "." + target.getFileName() + ".tmp-");
    try {
      writer.writeSharded(temp, maxShardBytes);
      ModelConfigWriter.write(config, temp.resolve("config.json"), dtype);
      extra.writeInto(temp);
      requireWritableTarget(target);
      Files.deleteIfExists(target); // only an empty folder can be here
      Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      deleteRecursively(temp);
    }
  }

  private static void requireWritableTarget(Path target) throws IOException {
    if (!Files.exists(target)) {
      return;
    }
    if (!Files.isDirectory(target)) {
      throw new CheckpointException(
          target + ": exists and is not a folder; refusing to replace it");
    }
    try (Stream<Path> entries = Files.list(target)) {
      if (entries.findAny().isPresent()) {
        throw new CheckpointException(
            target + ": folder is not empty; refusing to overwrite an existing checkpoint");
      }
    }
  }

  private static void deleteRecursively(Path root) throws IOException {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(root)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
