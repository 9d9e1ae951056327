package io.rge.core.qwen25vl;

import io.rge.core.safetensors.DType;
import io.rge.core.safetensors.SafetensorsWriter;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

/**
 * Writes the weights and {@code config.json} of a Qwen2.5-VL checkpoint that RGE and transformers
 * both load: the weights under canonical names as {@code model.safetensors} (or shards plus {@code
 * model.safetensors.index.json}) and {@code config.json} in the flat published layout.
 */
public final class CheckpointWriter {
  /** transformers' default {@code max_shard_size} ("5GB"). */
  public static final long DEFAULT_MAX_SHARD_BYTES = 5_000_000_000L;

  private CheckpointWriter() {}

  /**
   * Writes weights and config into {@code folder} (a {@link StagedFolder}'s), reading each tensor
   * from {@code source} only when it is written, stored as {@code dtype}: F32, or BF16 (rounded to
   * nearest even, {@code torch_dtype bfloat16}: what a half-precision training run writes, the
   * published Qwen2.5-VL checkpoints' type).
   */
  public static void writeInto(
      Path folder, Qwen25VLConfig config, WeightSource source, DType dtype, long maxShardBytes)
      throws IOException {
    SafetensorsWriter writer = new SafetensorsWriter();
    for (Map.Entry<String, long[]> e : CheckpointLayout.expectedShapes(config).entrySet()) {
      writer.addFloats(
          e.getKey(), e.getValue(), dtype, () -> source.floats(e.getKey(), e.getValue()));
    }
    writer.writeSharded(folder, maxShardBytes);
    String torchDtype = dtype == DType.BF16 ? "bfloat16" : "float32";
    ModelConfigWriter.write(config, folder.resolve(Qwen25VLConfig.FILE_NAME), torchDtype);
  }

  /** Writes F32 weights and config as the new folder {@code dir}, in one atomic rename. */
  public static void write(Path dir, Qwen25VLConfig config, WeightSource source, long maxShardBytes)
      throws IOException {
    try (StagedFolder staged = StagedFolder.create(dir)) {
      writeInto(staged.path(), config, source, DType.F32, maxShardBytes);
      staged.commit();
    }
  }
}
