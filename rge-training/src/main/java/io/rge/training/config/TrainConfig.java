package io.rge.training.config;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonFormat;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonValue;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonPOJOBuilder;
import io.rge.core.DeviceChoice;
import io.rge.core.DeviceList;
import io.rge.core.adapters.AdapterSettings;
import io.rge.core.config.ConfigLoader;
import io.rge.core.config.ConfigWriter;
import io.rge.core.config.LoadedConfig;
import io.rge.core.generation.GenerationSettings.Batching;
import io.rge.core.precision.ComputePrecision;
import io.rge.core.precision.PrecisionChoice;
import io.rge.core.preset.TinyOptions;
import io.rge.data.images.ImageLimits;
import io.rge.data.images.MissingImagePolicy;
import io.rge.data.mixture.BatchMode;
import io.rge.data.rationale.MissingRationalePolicy;
import io.rge.data.synth.SynthLayout;
import io.rge.training.objective.ContrastiveBatch;
import io.rge.training.objective.ObjectiveMode;
import io.rge.training.objective.ObjectiveSettings;
import io.rge.training.optim.AdamWSettings;
import io.rge.training.optim.TrainableParts;
import io.rge.training.schedule.LearningRate;
import io.rge.training.schedule.LearningRateSchedule;
import io.rge.training.schedule.RestartedSchedule;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * A training run, as written in YAML ({@code scripts/rge train --config FILE}, read through {@link
 * Builder}, written by {@link #toYaml()}) or built in code ({@link #builder()}). Keys are
 * snake_case; see {@code configs/train-tiny-synth.yaml} for every key with comments. Paths are
 * strings: {@link #load} resolves them against the config file's folder, and {@link
 * io.rge.training.Trainer} resolves any still relative against the working directory. The defaults
 * of the top-level keys are {@link Builder}'s; those of a section are its creator's.
 *
 * @param model the model to start from: a checkpoint folder or the tiny preset
 * @param data MMEB-train-layout data (MMEB-train itself or RGE-Synth)
 * @param objective the loss (defaults: {@link ObjectiveSettings#paper}, no LM-only warm-up)
 * @param optimizer AdamW and clipping
 * @param schedule warm-up + cosine, and the run's length
 * @param batchSize rows per micro-batch (one forward/backward pass)
 * @param gradientAccumulation micro-batches per optimizer step (default 1); the effective batch is
 *     {@code batchSize × gradientAccumulation}
 * @param contrastiveBatch which rows share one InfoNCE: {@code step} (default), every row of the
 *     optimizer step (GradCache: one micro-batch's graph in memory at a time), or {@code micro},
 *     the rows of each micro-batch (gradients accumulated); the same with one micro-batch per step
 * @param trainable which weights train (default all); not with {@code adapters}
 * @param adapters LoRA / DoRA adapters on the frozen base (absent: the weights {@code trainable}
 *     selects train directly; absent fields: {@link AdapterSettings#rge()})
 * @param devices where the model runs, in the one device vocabulary of {@link DeviceList} (default
 *     {@code [auto]}): one entry is one model ({@code device: gpu} is read as {@code devices:
 *     [gpu]}); several ({@code [gpu0, gpu1]}, {@code all}, or {@code [cpu, cpu]} for replicas on
 *     the CPU) train data-parallel, each micro-batch's rows split across the replicas
 * @param precision fp32, bf16 or fp16, or null for auto (the default: fp32 on the CPU, bf16 or fp16
 *     on a GPU, see {@link PrecisionChoice}); bf16 and fp16 train in mixed precision (half compute
 *     weights, fp32 master weights and AdamW moments, fp16 with a dynamic loss scale; see {@link
 *     io.rge.training.precision.MasterWeights})
 * @param output the run folder: checkpoints, metrics, plot, summary
 * @param seed model initialisation, data order and per-step engine seeds (default 42)
 * @param threads PyTorch intra-op threads, or null for the engine's default
 * @param maxConsecutiveSkips non-finite steps in a row that stop the run (default 5)
 * @param checkpoint cadence and retention
 * @param logging log-line cadence and the progress bar
 * @param activationCheckpointing recompute each decoder layer and vision block in the backward pass
 *     instead of keeping its activations (default false)
 */
@JsonDeserialize(builder = TrainConfig.Builder.class)
public record TrainConfig(
    Model model,
    Data data,
    Objective objective,
    Optimizer optimizer,
    Schedule schedule,
    int batchSize,
    int gradientAccumulation,
    ContrastiveBatch contrastiveBatch,
    TrainableParts trainable,
    AdapterSettings adapters,
    DeviceList devices,
    ComputePrecision precision,
    String output,
    long seed,
    Integer threads,
    int maxConsecutiveSkips,
    Checkpoint checkpoint,
    Logging logging,
    boolean activationCheckpointing) {

  public TrainConfig {
    require(
        adapters == null || trainable == TrainableParts.ALL,
        "trainable: "
            + trainable
            + " does not go with adapters: with adapters the base is frozen"
            + " and only the adapters and the <emb> row train");
    require(devices != null, "devices is required");
    require(
        !devices.mayReplicate() || adapters == null || adapters.dropout() == 0,
        "devices: "
            + devices.entries()
            + " trains replicas, which needs adapters.dropout: 0, got "
            + (adapters == null ? 0 : adapters.dropout())
            + " (the replicas share PyTorch's random generator, so GradCache's second pass"
            + " could not draw the first pass's dropout masks)");
    require(model != null, "model is required");
    require(data != null, "data is required");
    require(objective != null, "objective is required");
    require(optimizer != null, "optimizer is required");
    require(schedule != null, "schedule is required");
    require(output != null && !output.isBlank(), "output is required");
    require(contrastiveBatch != null, "contrastive_batch is required");
    require(trainable != null, "trainable is required");
    require(checkpoint != null && logging != null, "checkpoint and logging are required");
    require(batchSize >= 1, "batch_size must be >= 1, got " + batchSize);
    require(
        gradientAccumulation >= 1,
        "gradient_accumulation must be >= 1, got " + gradientAccumulation);
    require(threads == null || threads >= 1, "threads must be >= 1, got " + threads);
    require(
        maxConsecutiveSkips >= 1, "max_consecutive_skips must be >= 1, got " + maxConsecutiveSkips);
    // The data section says whether hard negatives join the candidates; the objective uses it.
    objective = objective.withHardNegatives(data.hardNegatives());
  }

  /**
   * Reads a YAML config (see {@link ConfigLoader} for the conventions) and resolves its paths
   * against the file's folder.
   *
   * @param overrides {@code a.b=VALUE} overrides, applied before validation
   * @throws io.rge.core.config.ConfigException naming the file position or override at fault
   */
  public static TrainConfig load(Path file, List<String> overrides) {
    LoadedConfig<TrainConfig> loaded = ConfigLoader.load(file, TrainConfig.class, overrides);
    return loaded.config().withPaths(p -> loaded.resolve(p).toString());
  }

  /** {@link #load(Path, List)} without overrides. */
  public static TrainConfig load(Path file) {
    return load(file, List.of());
  }

  /** This config as the YAML {@link #load} reads back into an equal config. */
  public String toYaml() {
    return ConfigWriter.toYaml(this);
  }

  /** A builder with every default set and nothing required given. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder starting from this config. */
  public Builder toBuilder() {
    return new Builder()
        .model(model)
        .data(data)
        .objective(objective)
        .optimizer(optimizer)
        .schedule(schedule)
        .batchSize(batchSize)
        .gradientAccumulation(gradientAccumulation)
        .contrastiveBatch(contrastiveBatch)
        .trainable(trainable)
        .adapters(adapters)
        .devices(devices.entries())
        .precision(precision == null ? "auto" : precision.id())
        .output(output)
        .seed(seed)
        .threads(threads)
        .maxConsecutiveSkips(maxConsecutiveSkips)
        .checkpoint(checkpoint)
        .logging(logging)
        .activationCheckpointing(activationCheckpointing);
  }

  /**
   * The recipe of {@code configs/train-tiny-synth.yaml} in code: the tiny preset trained from
   * scratch on an RGE-Synth folder (as {@code scripts/rge data synth} writes it) on the CPU.
   *
   * @param synthRoot the RGE-Synth folder (with {@code synth.json}, {@code train/}, ...)
   * @param output the run folder
   * @param mode rge, baseline or oracle-leak
   * @param totalSteps optimizer steps; the first half of them are LM-only warm-up (except in
   *     baseline mode, which has no LM term)
   */
  public static TrainConfig tinySynth(
      Path synthRoot, Path output, ObjectiveMode mode, long totalSteps) {
    SynthLayout layout = new SynthLayout(synthRoot.toAbsolutePath().normalize());
    ObjectiveSettings paper = ObjectiveSettings.paper(mode);
    return builder()
        .model(new Model(null, "tiny", null))
        .data(
            new Data(
                layout.trainRoot().toString(),
                null,
                null,
                null,
                layout.rationaleRoot().toString(),
                List.of(layout.imageRoot().toString()),
                null,
                MissingRationalePolicy.CONTRASTIVE_ONLY,
                MissingImagePolicy.FAIL,
                true,
                BatchMode.MIXED,
                null))
        .objective(
            new Objective(
                new ObjectiveSettings(
                    mode,
                    1.0,
                    10.0,
                    0.05,
                    16,
                    paper.hardNegatives(),
                    32,
                    paper.generationBatching()),
                (int) (totalSteps / 2)))
        .optimizer(new Optimizer(2e-3, AdamWSettings.defaults(0.01), 1.0))
        .schedule(new Schedule((int) Math.min(totalSteps, 10), totalSteps, null, 0.1, null))
        .batchSize(16)
        .device(DeviceChoice.CPU)
        .precision(ComputePrecision.FP32.id())
        .output(output.toAbsolutePath().normalize().toString())
        .seed(0L)
        .threads(1)
        .checkpoint(new Checkpoint((int) Math.max(1, totalSteps / 2), 2))
        .logging(new Logging(20, true, null))
        .build();
  }

  /** This config with {@code resolve} applied to every path (model, data and output). */
  public TrainConfig withPaths(UnaryOperator<String> resolve) {
    return toBuilder()
        .model(model.withPaths(resolve))
        .data(data.withPaths(resolve))
        .output(resolve.apply(output))
        .build();
  }

  /** This config writing to another output folder. */
  public TrainConfig withOutput(Path folder) {
    return toBuilder().output(folder.toString()).build();
  }

  /** Where the (lead) model runs. */
  public DeviceChoice device() {
    return devices.lead();
  }

  /** The objective settings the config describes (hard negatives from the data section). */
  public ObjectiveSettings objectiveSettings() {
    return objective.settings();
  }

  /** AdamW's constants. */
  public AdamWSettings adamW() {
    return optimizer.adamW();
  }

  static void require(boolean condition, String message) {
    if (!condition) {
      throw new IllegalArgumentException(message);
    }
  }

  /**
   * Builds a {@link TrainConfig}; YAML binds through it. Each field starts at its default: the one
   * place the top-level defaults live.
   */
  @JsonPOJOBuilder(withPrefix = "")
  public static final class Builder {
    private Model model;
    private Data data;
    private Objective objective = Objective.defaults();
    private Optimizer optimizer;
    private Schedule schedule;
    private int batchSize;
    private int gradientAccumulation = 1;
    private ContrastiveBatch contrastiveBatch = ContrastiveBatch.STEP;
    private TrainableParts trainable = TrainableParts.ALL;
    private AdapterSettings adapters;
    private DeviceChoice device;
    private List<String> devices;
    private ComputePrecision precision;
    private String output;
    private long seed = 42;
    private Integer threads;
    private int maxConsecutiveSkips = 5;
    private Checkpoint checkpoint = Checkpoint.defaults();
    private Logging logging = Logging.defaults();
    private boolean activationCheckpointing;

    private Builder() {}

    @JsonProperty(required = true)
    public Builder model(Model model) {
      this.model = model;
      return this;
    }

    @JsonProperty(required = true)
    public Builder data(Data data) {
      this.data = data;
      return this;
    }

    public Builder objective(Objective objective) {
      this.objective = objective == null ? Objective.defaults() : objective;
      return this;
    }

    @JsonProperty(required = true)
    public Builder optimizer(Optimizer optimizer) {
      this.optimizer = optimizer;
      return this;
    }

    @JsonProperty(required = true)
    public Builder schedule(Schedule schedule) {
      this.schedule = schedule;
      return this;
    }

    public Builder batchSize(int batchSize) {
      this.batchSize = batchSize;
      return this;
    }

    public Builder gradientAccumulation(Integer gradientAccumulation) {
      this.gradientAccumulation = gradientAccumulation == null ? 1 : gradientAccumulation;
      return this;
    }

    public Builder contrastiveBatch(ContrastiveBatch contrastiveBatch) {
      this.contrastiveBatch = contrastiveBatch == null ? ContrastiveBatch.STEP : contrastiveBatch;
      return this;
    }

    public Builder trainable(TrainableParts trainable) {
      this.trainable = trainable == null ? TrainableParts.ALL : trainable;
      return this;
    }

    public Builder adapters(AdapterSettings adapters) {
      this.adapters = adapters;
      return this;
    }

    /** One model on {@code device}: the one-entry form of {@link #devices}. */
    public Builder device(DeviceChoice device) {
      this.device = device;
      return this;
    }

    @JsonFormat(with = JsonFormat.Feature.ACCEPT_SINGLE_VALUE_AS_ARRAY)
    public Builder devices(List<String> devices) {
      this.devices = devices;
      return this;
    }

    /** fp32, bf16, fp16 or auto, as {@link PrecisionChoice#parseOrAuto} reads them. */
    public Builder precision(String precision) {
      this.precision = PrecisionChoice.parseOrAuto(precision);
      return this;
    }

    @JsonProperty(required = true)
    public Builder output(String output) {
      this.output = output;
      return this;
    }

    public Builder seed(Long seed) {
      this.seed = seed == null ? 42 : seed;
      return this;
    }

    public Builder threads(Integer threads) {
      this.threads = threads;
      return this;
    }

    public Builder maxConsecutiveSkips(Integer maxConsecutiveSkips) {
      this.maxConsecutiveSkips = maxConsecutiveSkips == null ? 5 : maxConsecutiveSkips;
      return this;
    }

    public Builder checkpoint(Checkpoint checkpoint) {
      this.checkpoint = checkpoint == null ? Checkpoint.defaults() : checkpoint;
      return this;
    }

    public Builder logging(Logging logging) {
      this.logging = logging == null ? Logging.defaults() : logging;
      return this;
    }

    public Builder activationCheckpointing(Boolean activationCheckpointing) {
      this.activationCheckpointing = activationCheckpointing != null && activationCheckpointing;
      return this;
    }

    /**
     * @throws IllegalArgumentException naming the key at fault
     */
    public TrainConfig build() {
      DeviceList list;
      if (devices == null) {
        list = DeviceList.of(device == null ? DeviceChoice.AUTO : device);
      } else {
        list = DeviceList.parse(devices);
        if (device != null && device != DeviceChoice.AUTO && device != list.lead()) {
          throw new IllegalArgumentException(
              "device: "
                  + device.name().toLowerCase(Locale.ROOT)
                  + " does not match devices: "
                  + list.entries()
                  + ", whose first entry holds the lead replica; give one of them");
        }
      }
      return new TrainConfig(
          model,
          data,
          objective,
          optimizer,
          schedule,
          batchSize,
          gradientAccumulation,
          contrastiveBatch,
          trainable,
          adapters,
          list,
          precision,
          output,
          seed,
          threads,
          maxConsecutiveSkips,
          checkpoint,
          logging,
          activationCheckpointing);
    }
  }

  /**
   * Where the model comes from: exactly one of {@code path} (a Hugging Face Qwen2.5-VL folder or an
   * RGE checkpoint) and {@code preset} ({@code tiny}: a small random model whose word-level
   * vocabulary is collected from the training data).
   *
   * @param tiny sizes of the tiny preset ({@link TinyOptions#sizes}; absent: {@link
   *     TinyOptions#defaults()}); its seed is the run's
   * @param visionFrom a checkpoint whose vision tower (patch embedding, blocks and merger) the tiny
   *     preset starts from instead of random values; its language model is not read (see {@link
   *     io.rge.core.qwen25vl.GraftedVision}). Absent: all weights random.
   */
  public record Model(String path, String preset, TinyOptions tiny, String visionFrom) {
    public Model(String path, String preset, TinyOptions tiny) {
      this(path, preset, tiny, null);
    }

    public Model {
      boolean hasPath = path != null && !path.isBlank();
      boolean hasPreset = preset != null && !preset.isBlank();
      require(hasPath != hasPreset, "give exactly one of path and preset");
      if (hasPreset) {
        preset = preset.trim().toLowerCase(Locale.ROOT);
        require(
            preset.equals("tiny"), "preset '" + preset + "' is unknown; the one preset is tiny");
      }
      require(tiny == null || hasPreset, "tiny sizes are only used with preset: tiny");
      if (visionFrom != null && visionFrom.isBlank()) {
        visionFrom = null;
      }
      require(
          visionFrom == null || hasPreset,
          "vision_from is only used with preset: tiny (a model from path brings its own vision"
              + " tower)");
    }

    public boolean isPreset() {
      return preset != null;
    }

    /** The tiny preset's sizes, with the initialisation seed of the run. */
    public TinyOptions tinyOptions(long seed) {
      return (tiny == null ? TinyOptions.defaults() : tiny).toBuilder().seed(seed).build();
    }

    Model withPaths(UnaryOperator<String> resolve) {
      return path != null
          ? new Model(resolve.apply(path), null, null)
          : new Model(null, preset, tiny, visionFrom == null ? null : resolve.apply(visionFrom));
    }
  }

  /**
   * Training data in the MMEB-train layout ({@code <train_root>/<Subset>/<split>-*.parquet}).
   *
   * @param trainRoot the MMEB-train (or RGE-Synth {@code train/}) folder
   * @param split the split every subset reads unless it names its own (default original)
   * @param subsets the subsets with optional caps and weights; absent: every subset found under
   *     {@code train_root} for {@code split}
   * @param capPerSubset default row cap of each subset (the first rows in file order; default all)
   * @param rationales folder of {@code <Subset>.jsonl} oracle rationales, or absent for none
   * @param images image sources: folders, zip files or folders of zips, searched in order
   * @param imagePrefix leading folder of the rows' image paths that the sources lack (MMEB-train
   *     rows say {@code images/<Subset>/...}; give {@code images} when the sources start at {@code
   *     <Subset>/}); absent: paths are used as they are
   * @param missingRationale drop or contrastive_only (default contrastive_only)
   * @param missingImage fail or skip_row (default fail)
   * @param hardNegatives whether rows' hard negatives join the candidates (default true)
   * @param batchMode mixed or per_subset (default mixed)
   * @param maxImagePixels largest width x height of a training image (default PIL's 89,478,485, as
   *     every command); an image larger than the model's processor keeps is decoded subsampled
   */
  public record Data(
      @JsonProperty(required = true) String trainRoot,
      String split,
      List<Subset> subsets,
      Long capPerSubset,
      String rationales,
      List<String> images,
      String imagePrefix,
      MissingRationalePolicy missingRationale,
      MissingImagePolicy missingImage,
      Boolean hardNegatives,
      BatchMode batchMode,
      Long maxImagePixels) {
    public Data {
      require(trainRoot != null && !trainRoot.isBlank(), "train_root is required");
      split = split == null ? "original" : split;
      subsets = subsets == null ? List.of() : List.copyOf(subsets);
      capPerSubset = capPerSubset == null ? Long.MAX_VALUE : capPerSubset;
      require(capPerSubset >= 1, "cap_per_subset must be >= 1, got " + capPerSubset);
      images = images == null ? List.of() : List.copyOf(images);
      missingRationale =
          missingRationale == null ? MissingRationalePolicy.CONTRASTIVE_ONLY : missingRationale;
      missingImage = missingImage == null ? MissingImagePolicy.FAIL : missingImage;
      hardNegatives = hardNegatives == null ? Boolean.TRUE : hardNegatives;
      batchMode = batchMode == null ? BatchMode.MIXED : batchMode;
      maxImagePixels = maxImagePixels == null ? ImageLimits.DEFAULT_MAX_PIXELS : maxImagePixels;
      require(maxImagePixels >= 1, "max_image_pixels must be >= 1, got " + maxImagePixels);
      String defaultSplit = split;
      long distinct =
          subsets.stream()
              .map(x -> x.name() + "/" + (x.split() == null ? defaultSplit : x.split()))
              .distinct()
              .count();
      require(distinct == subsets.size(), "a subset is listed twice with the same split");
    }

    Data withPaths(UnaryOperator<String> resolve) {
      return new Data(
          resolve.apply(trainRoot),
          split,
          subsets,
          capPerSubset,
          rationales == null ? null : resolve.apply(rationales),
          images.stream().map(resolve).toList(),
          imagePrefix,
          missingRationale,
          missingImage,
          hardNegatives,
          batchMode,
          maxImagePixels);
    }
  }

  /**
   * One training subset.
   *
   * @param split overrides the data section's split
   * @param cap overrides {@code cap_per_subset}
   * @param weight rows drawn per epoch = round(weight × rows) (default 1)
   */
  public record Subset(
      @JsonProperty(required = true) String name, String split, Long cap, Double weight) {
    public Subset {
      require(name != null && !name.isBlank(), "subset name is required");
      require(cap == null || cap >= 1, "cap of " + name + " must be >= 1, got " + cap);
      weight = weight == null ? 1.0 : weight;
      require(
          weight > 0 && Double.isFinite(weight),
          "weight of " + name + " must be > 0, got " + weight);
    }
  }

  /**
   * The loss: the objective's own settings and the LM-only warm-up. YAML keys: {@code mode} (rge,
   * baseline or oracle-leak), {@code lm_weight}, {@code contrastive_weight}, {@code temperature}
   * (τ), {@code max_new_tokens} (rationale limit when generating during training), {@code
   * generation_batch_size} (rows generated together), {@code generation_batching} ({@code
   * continuous}: a finished row's slot takes the next query at once, or {@code static}: each batch
   * runs to its longest rationale; for comparison), each absent one {@link
   * ObjectiveSettings#paper}'s value, and {@code lm_warmup_steps}.
   *
   * @param settings the objective (its hard negatives follow the data section's)
   * @param lmWarmupSteps first optimizer steps run LM-only (contrastive weight 0, no generation);
   *     default 0, as a pretrained instruct model can already write; a model trained from scratch
   *     needs them (ignored in baseline mode, which has no LM term)
   */
  public record Objective(ObjectiveSettings settings, int lmWarmupSteps) {
    public Objective {
      require(settings != null, "objective settings are required");
      require(lmWarmupSteps >= 0, "lm_warmup_steps must be >= 0, got " + lmWarmupSteps);
    }

    @JsonCreator
    static Objective of(
        @JsonProperty("mode") String mode,
        @JsonProperty("lm_weight") Double lmWeight,
        @JsonProperty("contrastive_weight") Double contrastiveWeight,
        @JsonProperty("temperature") Double temperature,
        @JsonProperty("max_new_tokens") Integer maxNewTokens,
        @JsonProperty("lm_warmup_steps") Integer lmWarmupSteps,
        @JsonProperty("generation_batch_size") Integer generationBatchSize,
        @JsonProperty("generation_batching") String generationBatching) {
      ObjectiveSettings d =
          ObjectiveSettings.paper(ObjectiveMode.parse(mode == null ? "rge" : mode));
      Batching batching =
          generationBatching == null ? d.generationBatching() : Batching.parse(generationBatching);
      require(
          lmWarmupSteps == null || lmWarmupSteps >= 0,
          "lm_warmup_steps must be >= 0, got " + lmWarmupSteps);
      return new Objective(
          new ObjectiveSettings(
              d.mode(),
              lmWeight == null ? d.lmWeight() : lmWeight,
              contrastiveWeight == null ? d.contrastiveWeight() : contrastiveWeight,
              temperature == null ? d.temperature() : temperature,
              maxNewTokens == null ? d.maxNewTokens() : maxNewTokens,
              d.hardNegatives(),
              generationBatchSize == null ? d.generationBatchSize() : generationBatchSize,
              batching),
          lmWarmupSteps == null ? 0 : lmWarmupSteps);
    }

    static Objective defaults() {
      return new Objective(ObjectiveSettings.paper(ObjectiveMode.RGE), 0);
    }

    /** The keys {@link #of} reads, as a config writes them. */
    @JsonValue
    Map<String, Object> yaml() {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("mode", settings.mode().id());
      m.put("lm_weight", settings.lmWeight());
      m.put("contrastive_weight", settings.contrastiveWeight());
      m.put("temperature", settings.temperature());
      m.put("max_new_tokens", settings.maxNewTokens());
      m.put("lm_warmup_steps", lmWarmupSteps);
      m.put("generation_batch_size", settings.generationBatchSize());
      m.put("generation_batching", settings.generationBatching().id());
      return m;
    }

    Objective withHardNegatives(boolean hardNegatives) {
      ObjectiveSettings s = settings;
      return s.hardNegatives() == hardNegatives
          ? this
          : new Objective(
              new ObjectiveSettings(
                  s.mode(),
                  s.lmWeight(),
                  s.contrastiveWeight(),
                  s.temperature(),
                  s.maxNewTokens(),
                  hardNegatives,
                  s.generationBatchSize(),
                  s.generationBatching()),
              lmWarmupSteps);
    }
  }

  /**
   * AdamW and gradient clipping. YAML keys: {@code lr} (required), {@code betas} ([β1, β2], default
   * [0.9, 0.999]), {@code eps} (default 1e-8), {@code weight_decay} (decoupled decay on matrices
   * only; norms, biases and embeddings are exempt; default 0), {@code max_grad_norm}.
   *
   * @param lr peak learning rate
   * @param adamW AdamW's constants
   * @param maxGradNorm global-norm clipping limit, 0 for none (default 1)
   */
  public record Optimizer(double lr, AdamWSettings adamW, double maxGradNorm) {
    public Optimizer {
      require(lr > 0 && Double.isFinite(lr), "lr must be > 0, got " + lr);
      require(adamW != null, "AdamW settings are required");
      require(
          maxGradNorm >= 0,
          "max_grad_norm must be >= 0 (0 turns clipping off), got " + maxGradNorm);
    }

    @JsonCreator
    static Optimizer of(
        @JsonProperty("lr") double lr,
        @JsonProperty("betas") List<Double> betas,
        @JsonProperty("eps") Double eps,
        @JsonProperty("weight_decay") Double weightDecay,
        @JsonProperty("max_grad_norm") Double maxGradNorm) {
      AdamWSettings d = AdamWSettings.defaults(0.0);
      require(lr > 0 && Double.isFinite(lr), "lr must be > 0, got " + lr);
      require(betas == null || betas.size() == 2, "betas must be [beta1, beta2], got " + betas);
      return new Optimizer(
          lr,
          new AdamWSettings(
              betas == null ? d.beta1() : betas.get(0),
              betas == null ? d.beta2() : betas.get(1),
              eps == null ? d.eps() : eps,
              weightDecay == null ? d.weightDecay() : weightDecay),
          maxGradNorm == null ? 1.0 : maxGradNorm);
    }

    /** The keys {@link #of} reads, as a config writes them. */
    @JsonValue
    Map<String, Object> yaml() {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("lr", lr);
      m.put("betas", List.of(adamW.beta1(), adamW.beta2()));
      m.put("eps", adamW.eps());
      m.put("weight_decay", adamW.weightDecay());
      m.put("max_grad_norm", maxGradNorm);
      return m;
    }
  }

  /**
   * The learning-rate schedule and the run's length: exactly one of {@code total_steps} and {@code
   * epochs} (optimizer steps = ceil(epochs × batches per epoch / gradient_accumulation)).
   *
   * @param warmupSteps linear warm-up steps (default 0)
   * @param minLrRatio final learning rate as a fraction of the peak (default 0)
   * @param restart when set, the steps from {@code restart.step} on get a schedule of their own
   *     (default: one schedule over the whole run)
   */
  public record Schedule(
      Integer warmupSteps, Long totalSteps, Double epochs, Double minLrRatio, Restart restart) {
    public Schedule {
      warmupSteps = warmupSteps == null ? 0 : warmupSteps;
      minLrRatio = minLrRatio == null ? 0.0 : minLrRatio;
      require(
          (totalSteps == null) != (epochs == null), "give exactly one of total_steps and epochs");
      require(totalSteps == null || totalSteps >= 1, "total_steps must be >= 1, got " + totalSteps);
      require(
          epochs == null || (epochs > 0 && Double.isFinite(epochs)),
          "epochs must be > 0, got " + epochs);
      require(warmupSteps >= 0, "warmup_steps must be >= 0, got " + warmupSteps);
      require(
          totalSteps == null || warmupSteps <= totalSteps,
          "warmup_steps (" + warmupSteps + ") exceeds total_steps (" + totalSteps + ")");
      require(
          minLrRatio >= 0 && minLrRatio <= 1, "min_lr_ratio must be in [0, 1], got " + minLrRatio);
      require(
          restart == null || totalSteps == null || restart.step() < totalSteps,
          "restart.step ("
              + (restart == null ? 0 : restart.step())
              + ") must be below total_steps");
    }

    /** Optimizer steps of the run, given the data's batches per epoch. */
    public long steps(int batchesPerEpoch, int gradientAccumulation) {
      if (totalSteps != null) {
        return totalSteps;
      }
      return Math.max(1, (long) Math.ceil(epochs * batchesPerEpoch / gradientAccumulation));
    }

    /**
     * @param lr the peak rate of the run (of its first phase with a restart)
     * @param steps optimizer steps of the run
     */
    public LearningRate toSchedule(double lr, long steps) {
      LearningRateSchedule whole =
          new LearningRateSchedule(lr, Math.min(warmupSteps, steps), steps, minLrRatio);
      if (restart == null || restart.step() >= steps) {
        return whole;
      }
      long rest = steps - restart.step();
      return new RestartedSchedule(
          whole,
          restart.step(),
          new LearningRateSchedule(
              restart.lr(), Math.min(warmupSteps, rest / 10), rest, minLrRatio));
    }
  }

  /**
   * A second schedule from {@code step} on: linear warm-up over the run's {@code warmup_steps} (at
   * most a tenth of the remaining steps), then cosine decay to {@code min_lr_ratio} of {@code lr}
   * at the run's end. The reasoning modes use it for the joint phase after their LM-only warm-up,
   * which would otherwise run on the tail of one long cosine.
   *
   * @param step the first step of the second schedule (> 0)
   * @param lr its peak learning rate
   */
  public record Restart(
      @JsonProperty(required = true) Long step, @JsonProperty(required = true) Double lr) {
    public Restart {
      require(step != null && step >= 1, "restart.step must be >= 1, got " + step);
      require(lr != null && lr > 0 && Double.isFinite(lr), "restart.lr must be > 0, got " + lr);
    }
  }

  /**
   * @param every steps between checkpoints (default 500); one is always written at the end
   * @param keep checkpoints kept, newest first (default 2)
   */
  public record Checkpoint(Integer every, Integer keep) {
    public Checkpoint {
      every = every == null ? 500 : every;
      keep = keep == null ? 2 : keep;
      require(every >= 1, "checkpoint.every must be >= 1, got " + every);
      require(keep >= 1, "checkpoint.keep must be >= 1, got " + keep);
    }

    static Checkpoint defaults() {
      return new Checkpoint(null, null);
    }
  }

  /**
   * @param every steps between log lines (default 10; every step goes to metrics.jsonl)
   * @param progressBar draw a progress bar on the terminal (default true)
   * @param replicaCheckEvery with {@code devices}, a debugging aid: every this many steps, check
   *     that the replicas still hold identical weights (a fingerprint of each), stopping with an
   *     error naming the first that differs; 0 (the default) never checks
   */
  public record Logging(Integer every, Boolean progressBar, Integer replicaCheckEvery) {
    public Logging {
      every = every == null ? 10 : every;
      progressBar = progressBar == null ? Boolean.TRUE : progressBar;
      replicaCheckEvery = replicaCheckEvery == null ? 0 : replicaCheckEvery;
      require(every >= 1, "logging.every must be >= 1, got " + every);
      require(
          replicaCheckEvery >= 0,
          "logging.replica_check_every must be >= 0 (0: never), got " + replicaCheckEvery);
    }

    static Logging defaults() {
      return new Logging(null, null, null);
    }
  }
}
