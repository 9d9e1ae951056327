package io.rge.core;

import io.rge.core.image.ImageProcessorConfig;
import io.rge.core.precision.ComputePrecision;
import io.rge.core.preset.TinyPreset;
import io.rge.core.qwen25vl.ImagePositions;
import io.rge.core.qwen25vl.Qwen25VLConfig;
import io.rge.core.qwen25vl.WeightSource;
import io.rge.core.tokenizer.QwenTokenizer;
import java.nio.file.Path;

/**
 * What {@link RgeModel#load(LoadOptions)} loads and how: exactly one source (a model folder, a tiny
 * preset with a seed, or parts) and the options device, precision, image positions and adapters.
 *
 * <pre>{@code
 * LoadOptions options =
 *     LoadOptions.builder()
 *         .setModel(Path.of("MCG-NJU/RGE"))
 *         .optDevice(DeviceChoice.GPU)
 *         .optPrecision(ComputePrecision.BF16)
 *         .build();
 * }</pre>
 *
 * @param model a Hugging Face Qwen2.5-VL folder or a checkpoint RGE wrote; null with another source
 * @param preset a tiny preset, randomly initialised from {@code seed}; null with another source
 * @param seed the preset's weight seed (weights ~ N(0, 0.02), biases 0, norms 1)
 * @param visionFrom with a preset: the checkpoint whose vision tower replaces the random one; null:
 *     every weight random
 * @param parts config, tokenizer, image processor settings and weights; null with another source
 * @param device where the model runs
 * @param precision the compute precision; null: the device's default (fp32 on the CPU, on a GPU
 *     bf16 where the JNI library maps it, else fp16). Half precisions are for inference
 * @param positions image positions; {@link ImagePositions#SEQUENTIAL} only reproduces references
 *     computed without M-RoPE image positions
 * @param adapters a PEFT adapter folder to load on the base; null: the model folder's own adapters
 *     when it holds {@code adapter_config.json} (a checkpoint of an adapter run), else none
 */
public record LoadOptions(
    Path model,
    TinyPreset preset,
    long seed,
    Path visionFrom,
    Parts parts,
    DeviceChoice device,
    ComputePrecision precision,
    ImagePositions positions,
    Path adapters) {

  /** A model from parts; the tokenizer becomes the model's (closed with it). */
  public record Parts(
      Qwen25VLConfig config,
      QwenTokenizer tokenizer,
      ImageProcessorConfig imageConfig,
      WeightSource weights) {
    public Parts {
      if (config == null || tokenizer == null || imageConfig == null || weights == null) {
        throw new IllegalArgumentException(
            "parts need a config, a tokenizer, image processor settings and weights");
      }
    }
  }

  public LoadOptions {
    int sources = (model == null ? 0 : 1) + (preset == null ? 0 : 1) + (parts == null ? 0 : 1);
    if (sources != 1) {
      throw new IllegalArgumentException(
          "set exactly one of model, preset and parts; got "
              + sources
              + " (model="
              + model
              + ", preset="
              + (preset != null)
              + ", parts="
              + (parts != null)
              + ")");
    }
    if (visionFrom != null && preset == null) {
      throw new IllegalArgumentException("visionFrom " + visionFrom + " needs a preset");
    }
    if (device == null || positions == null) {
      throw new IllegalArgumentException(
          "device and positions are required; got " + device + ", " + positions);
    }
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Sets the source with {@code setX} and the options with {@code optX}; {@link #build()}. */
  public static final class Builder {
    private Path model;
    private TinyPreset preset;
    private long seed;
    private Path visionFrom;
    private Parts parts;
    private DeviceChoice device = DeviceChoice.AUTO;
    private ComputePrecision precision = ComputePrecision.FP32;
    private ImagePositions positions = ImagePositions.GRID;
    private Path adapters;

    private Builder() {}

    /** Loads the model folder {@code dir}. */
    public Builder setModel(Path dir) {
      this.model = dir;
      return this;
    }

    /** A randomly initialised model of a tiny preset (for training from scratch). */
    public Builder setPreset(TinyPreset preset, long seed) {
      this.preset = preset;
      this.seed = seed;
      return this;
    }

    /** A model from parts (see {@link Parts}). */
    public Builder setParts(
        Qwen25VLConfig config,
        QwenTokenizer tokenizer,
        ImageProcessorConfig imageConfig,
        WeightSource weights) {
      this.parts = new Parts(config, tokenizer, imageConfig, weights);
      return this;
    }

    /** With a preset: the vision tower from the checkpoint {@code dir}; null: random. */
    public Builder optVisionFrom(Path dir) {
      this.visionFrom = dir;
      return this;
    }

    /** Default {@link DeviceChoice#AUTO}. */
    public Builder optDevice(DeviceChoice device) {
      this.device = device;
      return this;
    }

    /** Default fp32; null: the device's default (see {@link LoadOptions}). */
    public Builder optPrecision(ComputePrecision precision) {
      this.precision = precision;
      return this;
    }

    /** Default {@link ImagePositions#GRID}. */
    public Builder optPositions(ImagePositions positions) {
      this.positions = positions;
      return this;
    }

    /** LoRA / DoRA adapters from a PEFT adapter folder (the base stays in its precision). */
    public Builder optAdapters(Path dir) {
      this.adapters = dir;
      return this;
    }

    public LoadOptions build() {
      return new LoadOptions(
          model, preset, seed, visionFrom, parts, device, precision, positions, adapters);
    }
  }
}
