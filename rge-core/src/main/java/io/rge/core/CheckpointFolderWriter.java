package io.rge.core;

import io.rge.core.adapters.Adapters;
import io.rge.core.image.ImageProcessorConfig;
import io.rge.core.qwen25vl.CheckpointWriter;
import io.rge.core.qwen25vl.StagedFolder;
import io.rge.core.qwen25vl.WeightSource;
import io.rge.core.safetensors.DType;
import io.rge.core.tokenizer.QwenTokenizer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Writes a model as a checkpoint folder both RGE and transformers load: weights under the Hugging
 * Face names, {@code config.json}, {@code tokenizer.json} (with {@code <emb>}), {@code
 * preprocessor_config.json} and, for a model with adapters, the PEFT adapter files.
 *
 * <pre>{@code
 * CheckpointFolderWriter.of(model).write(dir); // appears in one atomic rename
 *
 * try (StagedFolder staged = StagedFolder.create(dir)) { // with files of the caller's
 *   CheckpointFolderWriter.of(model).optWeights(masters, DType.BF16).writeInto(staged.path());
 *   Files.writeString(staged.path().resolve("state.json"), state);
 *   staged.commit();
 * }
 * }</pre>
 */
public final class CheckpointFolderWriter {
  private final RgeModel model;
  private WeightSource weights;
  private DType dtype = DType.F32;
  private boolean mergeAdapters;

  private CheckpointFolderWriter(RgeModel model) {
    this.model = model;
  }

  /** Writes {@code model}'s current weights as F32. */
  public static CheckpointFolderWriter of(RgeModel model) {
    return new CheckpointFolderWriter(model);
  }

  /**
   * The tensor values from {@code weights} (e.g. the current values with a training run's fp32
   * master copies over them), stored as {@code dtype} (F32 or BF16).
   */
  public CheckpointFolderWriter optWeights(WeightSource weights, DType dtype) {
    this.weights = weights;
    this.dtype = dtype;
    return this;
  }

  /** The adapters merged into the weights: a plain checkpoint that needs no PEFT. */
  public CheckpointFolderWriter optMergeAdapters() {
    this.mergeAdapters = true;
    return this;
  }

  /** Writes the new folder {@code dir} (absent or empty) in one atomic rename. */
  public void write(Path dir) throws IOException {
    try (StagedFolder staged = StagedFolder.create(dir)) {
      writeInto(staged.path());
      staged.commit();
    }
  }

  /** Writes the checkpoint's files into {@code folder}, a {@link StagedFolder}'s. */
  public void writeInto(Path folder) throws IOException {
    model.ensureOpen();
    Optional<Adapters> adapters = model.adapters();
    WeightSource values = weights != null ? weights : model.network().weights().currentValues();
    if (mergeAdapters && adapters.isPresent()) {
      values = adapters.get().merged(values);
    }
    CheckpointWriter.writeInto(
        folder, model.config(), values, dtype, CheckpointWriter.DEFAULT_MAX_SHARD_BYTES);
    model.tokenizer().save(folder.resolve(QwenTokenizer.FILE_NAME));
    Files.writeString(
        folder.resolve(ImageProcessorConfig.FILE_NAME),
        model.imageProcessor().config().toJson(),
        StandardCharsets.UTF_8);
    if (adapters.isPresent() && !mergeAdapters) {
      adapters.get().save(folder);
    }
  }
}
