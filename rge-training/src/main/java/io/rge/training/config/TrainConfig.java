package io.rge.training.config;

import com.fasterxml.jackson.annotation.JsonFormat;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.rge.core.DeviceChoice;
import io.rge.core.adapters.AdapterSettings;
import io.rge.core.config.ConfigLoader;
import io.rge.core.config.LoadedConfig;
import io.rge.core.generation.GenerationSettings.Batching;
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
import io.rge.training.parallel.DeviceList;
import io.rge.training.schedule.LearningRate;
import io.rge.training.schedule.LearningRateSchedule;
import io.rge.training.schedule.RestartedSchedule;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.function.UnaryOperator;

/**
 * A training run, as written in YAML ({@code scripts/rge train --config FILE}) or built in code.
 * Keys are snake_case; see {@code configs/train-tiny-synth.yaml} for every key with comments. Paths
 * are strings: {@link #load} resolves them against the config file's folder, and {@link
 * io.rge.training.Trainer} resolves any still relative against the working directory.
 *
 * @param model the model to start from: a checkpoint folder or the tiny preset
 * @param data MMEB-train-layout data (MMEB-train itself or RGE-Synth)
 * @param objective the loss (defaults: rge, 1 : 10, τ 0.02, 128 new tokens)
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
 *     selects train directly)
 * @param device cpu, gpu or auto (default auto); with {@code devices}, absent or the first entry's
 *     kind
 * @param devices data-parallel training, one model replica per entry ({@code [gpu0, gpu1]}, {@code
 *     all}, or {@code [cpu, cpu]} for replicas on the CPU; see {@link DeviceList}): each
 *     micro-batch's rows are split across the replicas; absent: one model on {@code device}
 * @param precision fp32, bf16, fp16 or auto (default auto: fp32 on the CPU, bf16 or fp16 on a GPU,
 *     see {@link io.rge.core.precision.PrecisionChoice}); bf16 and fp16 train in mixed precision
 *     (half compute weights, fp32 master weights and AdamW moments, fp16 with a dynamic loss scale;
 *     see {@link io.rge.training.precision.MasterWeights})
 * @param output the run folder: checkpoints, metrics, plot, summary
 * @param seed model initialisation, data order and per-step engine seeds (default 42)
 * @param threads PyTorch intra-op threads, or null for the engine's default
 * @param maxConsecutiveSkips non-finite steps in a row that stop the run (default 5)
 * @param checkpoint cadence and retention
 * @param logging log-line cadence and the progress bar
 * @param activationCheckpointing recompute each decoder layer and vision block in the backward pass
 *     instead of keeping its activations (default false)
 */
public record TrainConfig(
    @JsonProperty(required = true) Model model,
    @JsonProperty(required = true) Data data,
    Objective objective,
    @JsonProperty(required = true) Optimizer optimizer,
    @JsonProperty(required = true) Schedule schedule,
    int batchSize,
    Integer gradientAccumulation,
    ContrastiveBatch contrastiveBatch,
    TrainableParts trainable,
    AdapterConfig adapters,
    DeviceChoice device,
    @JsonFormat(with = JsonFormat.Feature.ACCEPT_SINGLE_VALUE_AS_ARRAY) List<String> devices,
    String precision,
    @JsonProperty(required = true) String output,
    Long seed,
    Integer threads,
    Integer maxConsecutiveSkips,
    Checkpoint checkpoint,
    Logging logging,
    Boolean activationCheckpointing) {

  public TrainConfig {
    objective = objective == null ? Objective.defaults() : objective;
    gradientAccumulation = gradientAccumulation == null ? 1 : gradientAccumulation;
    contrastiveBatch = contrastiveBatch == null ? ContrastiveBatch.STEP : contrastiveBatch;
    require(
        adapters == null || trainable == null || trainable == TrainableParts.ALL,
        "trainable: "
            + trainable
            + " does not go with adapters: with adapters the base is frozen"
            + " and only the adapters and the <emb> row train");
    trainable = trainable == null ? TrainableParts.ALL : trainable;
    if (devices != null) {
      DeviceList list = DeviceList.parse(devices);
      if (device != null && device != DeviceChoice.AUTO && device != list.lead()) {
        throw new IllegalArgumentException(
            "device: "
                + device.name().toLowerCase(Locale.ROOT)
                + " does not match devices: "
                + list.entries()
                + ", whose first entry holds the lead replica; give one of them");
      }
      require(
          !list.mayReplicate() || adapters == null || adapters.dropout() == 0,
          "devices: "
              + list.entries()
              + " trains replicas, which needs adapters.dropout: 0, got "
              + (adapters == null ? 0 : adapters.dropout())
              + " (the replicas share PyTorch's random generator, so GradCache's second pass"
              + " could not draw the first pass's dropout masks)");
      devices = list.entries();
      device = list.lead();
    }
    device = device == null ? DeviceChoice.AUTO : device;
    precision = precision == null ? "auto" : precision.trim().toLowerCase(Locale.ROOT);
    activationCheckpointing = activationCheckpointing != null && activationCheckpointing;
    seed = seed == null ? 42L : seed;
    maxConsecutiveSkips = maxConsecutiveSkips == null ? 5 : maxConsecutiveSkips;
    checkpoint = checkpoint == null ? Checkpoint.defaults() : checkpoint;
    logging = logging == null ? Logging.defaults() : logging;
    require(model != null, "model is required");
    require(data != null, "data is required");
    require(optimizer != null, "optimizer is required");
    require(schedule != null, "schedule is required");
    require(output != null && !output.isBlank(), "output is required");
    require(batchSize >= 1, "batch_size must be >= 1, got " + batchSize);
    require(
        gradientAccumulation >= 1,
        "gradient_accumulation must be >= 1, got " + gradientAccumulation);
    require(
        precision.matches("fp32|bf16|fp16|auto"),
        "precision '" + precision + "' is not one of fp32, bf16, fp16, auto");
    require(threads == null || threads >= 1, "threads must be >= 1, got " + threads);
    require(
        maxConsecutiveSkips >= 1, "max_consecutive_skips must be >= 1, got " + maxConsecutiveSkips);
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
    return new TrainConfig(
        new Model(null, "tiny", null),
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
            null),
        new Objective(mode.id(), 1.0, 10.0, 0.05, 16, (int) (totalSteps / 2), 32, null),
        new Optimizer(2e-3, List.of(0.9, 0.999), 1e-8, 0.01, 1.0),
        new Schedule((int) Math.min(totalSteps, 10), totalSteps, null, 0.1, null),
        16,
        1,
        ContrastiveBatch.STEP,
        TrainableParts.ALL,
        null,
        DeviceChoice.CPU,
        null,
        "fp32",
        output.toAbsolutePath().normalize().toString(),
        0L,
        1,
        5,
        new Checkpoint((int) Math.max(1, totalSteps / 2), 2),
        new Logging(20, true, null),
        false);
  }

  /** This config with {@code resolve} applied to every path (model, data and output). */
  public TrainConfig withPaths(UnaryOperator<String> resolve) {
    return new TrainConfig(
        model.withPaths(resolve),
        data.withPaths(resolve),
        objective,
        optimizer,
        schedule,
        batchSize,
        gradientAccumulation,
        contrastiveBatch,
        trainable,
        adapters,
        device,
        devices,
        precision,
        resolve.apply(output),
        seed,
        threads,
        maxConsecutiveSkips,
        checkpoint,
        logging,
        activationCheckpointing);
  }

  /** This config writing to another output folder. */
  public TrainConfig withOutput(Path folder) {
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
        device,
        devices,
        precision,
        folder.toString(),
        seed,
        threads,
        maxConsecutiveSkips,
        checkpoint,
        logging,
        activationCheckpointing);
  }

  /** The data-parallel devices, or null for one model on {@link #device()}. */
  public DeviceList deviceList() {
    return devices == null ? null : new DeviceList(devices);
  }

  /** The objective settings the config describes (hard negatives from the data section). */
  public ObjectiveSettings objectiveSettings() {
    return objective.toSettings(data.hardNegatives());
  }

  /** AdamW's constants. */
  public AdamWSettings adamW() {
    return optimizer.toSettings();
  }

  static void require(boolean condition, String message) {
    if (!condition) {
      throw new IllegalArgumentException(message);
    }
  }

  /**
   * Where the model comes from: exactly one of {@code path} (a Hugging Face Qwen2.5-VL folder or an
   * RGE checkpoint) and {@code preset} ({@code tiny}: a small random model whose word-level
   * vocabulary is collected from the training data).
   *
   * @param tiny sizes of the tiny preset (defaults: {@link TinyOptions#defaults()})
   * @param visionFrom a checkpoint whose vision tower (patch embedding, blocks and merger) the tiny
   *     preset starts from instead of random values; its language model is not read (see {@link
   *     io.rge.core.qwen25vl.GraftedVision}). Absent: all weights random.
   */
  public record Model(String path, String preset, TinySizes tiny, String visionFrom) {
    public Model(String path, String preset, TinySizes tiny) {
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
      return (tiny == null
              ? new TinySizes(null, null, null, null, null, null, null, null, null, null, null)
              : tiny)
          .toOptions(seed);
    }

    Model withPaths(UnaryOperator<String> resolve) {
      return path != null
          ? new Model(resolve.apply(path), null, null)
          : new Model(null, preset, tiny, visionFrom == null ? null : resolve.apply(visionFrom));
    }
  }

  /**
   * Sizes of the tiny preset; each absent one keeps its {@link TinyOptions#defaults()} value.
   * {@code mrope_section} must sum to {@code hidden_size / num_attention_heads / 2}.
   */
  public record TinySizes(
      Integer hiddenSize,
      Integer intermediateSize,
      Integer numHiddenLayers,
      Integer numAttentionHeads,
      Integer numKeyValueHeads,
      List<Integer> mropeSection,
      Integer visionDepth,
      Integer visionHiddenSize,
      Integer visionIntermediateSize,
      Integer visionNumHeads,
      List<Integer> fullattBlockIndexes) {

    TinyOptions toOptions(long seed) {
      TinyOptions d = TinyOptions.defaults();
      return d.toBuilder()
          .text(
              or(hiddenSize, d.hiddenSize()),
              or(intermediateSize, d.intermediateSize()),
              or(numHiddenLayers, d.numHiddenLayers()),
              or(numAttentionHeads, d.numAttentionHeads()),
              or(numKeyValueHeads, d.numKeyValueHeads()),
              mropeSection == null ? d.mropeSection() : mropeSection)
          .vision(
              or(visionDepth, d.visionDepth()),
              or(visionHiddenSize, d.visionHiddenSize()),
              or(visionIntermediateSize, d.visionIntermediateSize()),
              or(visionNumHeads, d.visionNumHeads()),
              fullattBlockIndexes == null ? d.fullattBlockIndexes() : fullattBlockIndexes)
          .seed(seed)
          .build();
    }

    private static int or(Integer value, int fallback) {
      return value == null ? fallback : value;
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
   * The loss.
   *
   * @param mode rge, baseline or oracle-leak (default rge)
   * @param lmWeight weight of the LM term (default 1)
   * @param contrastiveWeight weight of InfoNCE (default 10)
   * @param temperature τ (default 0.02)
   * @param maxNewTokens rationale limit when generating during training (default 128)
   * @param lmWarmupSteps first optimizer steps run LM-only (contrastive weight 0, no generation);
   *     default 0, as a pretrained instruct model can already write; a model trained from scratch
   *     needs them (ignored in baseline mode, which has no LM term)
   * @param generationBatchSize rows generated together (default 16)
   * @param generationBatching {@code continuous} (default: a finished row's slot takes the next
   *     query at once) or {@code static} (each batch runs to its longest rationale; for comparison)
   */
  public record Objective(
      String mode,
      Double lmWeight,
      Double contrastiveWeight,
      Double temperature,
      Integer maxNewTokens,
      Integer lmWarmupSteps,
      Integer generationBatchSize,
      String generationBatching) {
    public Objective {
      mode = ObjectiveMode.parse(mode == null ? "rge" : mode).id();
      lmWeight = lmWeight == null ? 1.0 : lmWeight;
      contrastiveWeight = contrastiveWeight == null ? 10.0 : contrastiveWeight;
      temperature = temperature == null ? 0.02 : temperature;
      maxNewTokens = maxNewTokens == null ? 128 : maxNewTokens;
      lmWarmupSteps = lmWarmupSteps == null ? 0 : lmWarmupSteps;
      generationBatchSize = generationBatchSize == null ? 16 : generationBatchSize;
      generationBatching =
          Batching.parse(generationBatching == null ? "continuous" : generationBatching).id();
      require(lmWarmupSteps >= 0, "lm_warmup_steps must be >= 0, got " + lmWarmupSteps);
      // Validates the rest with the objective's own messages.
      new ObjectiveSettings(
          ObjectiveMode.parse(mode),
          lmWeight,
          contrastiveWeight,
          temperature,
          maxNewTokens,
          false,
          generationBatchSize,
          Batching.parse(generationBatching));
    }

    static Objective defaults() {
      return new Objective(null, null, null, null, null, null, null, null);
    }

    public ObjectiveMode objectiveMode() {
      return ObjectiveMode.parse(mode);
    }

    ObjectiveSettings toSettings(boolean hardNegatives) {
      return new ObjectiveSettings(
          objectiveMode(),
          lmWeight,
          contrastiveWeight,
          temperature,
          maxNewTokens,
          hardNegatives,
          generationBatchSize,
          Batching.parse(generationBatching));
    }
  }

  /**
   * Low-rank adapters (PEFT's LoraConfig fields).
   *
   * @param type lora or dora (required)
   * @param r rank (default 16)
   * @param alpha the update is scaled by alpha / r (default 64)
   * @param dropout on the adapters' input while training (default 0.1)
   * @param targets module names, e.g. q_proj (default q/k/v/o and gate/up/down projections)
   * @param vision whether vision-tower modules of those names get adapters (default false)
   */
  public record AdapterConfig(
      @JsonProperty(required = true) AdapterSettings.Type type,
      Integer r,
      Double alpha,
      Double dropout,
      List<String> targets,
      Boolean vision) {
    public AdapterConfig {
      r = r == null ? 16 : r;
      alpha = alpha == null ? 64.0 : alpha;
      dropout = dropout == null ? 0.1 : dropout;
      targets = targets == null ? AdapterSettings.RGE_TARGETS : List.copyOf(targets);
      vision = vision == null ? Boolean.FALSE : vision;
      // Validates with the adapters' own messages (fields are not assigned yet: the parameters).
      new AdapterSettings(type, r, alpha, dropout, targets, vision);
    }

    public AdapterSettings toSettings() {
      return new AdapterSettings(type, r, alpha, dropout, targets, vision);
    }
  }

  /**
   * AdamW and gradient clipping.
   *
   * @param lr peak learning rate (required)
   * @param betas [β1, β2] (default [0.9, 0.999])
   * @param eps default 1e-8
   * @param weightDecay decoupled decay on matrices only (norms, biases and embeddings are exempt;
   *     default 0)
   * @param maxGradNorm global-norm clipping limit, 0 for none (default 1)
   */
  public record Optimizer(
      double lr, List<Double> betas, Double eps, Double weightDecay, Double maxGradNorm) {
    public Optimizer {
      require(lr > 0 && Double.isFinite(lr), "lr must be > 0, got " + lr);
      betas = betas == null ? List.of(0.9, 0.999) : List.copyOf(betas);
      require(betas.size() == 2, "betas must be [beta1, beta2], got " + betas);
      eps = eps == null ? 1e-8 : eps;
      weightDecay = weightDecay == null ? 0.0 : weightDecay;
      maxGradNorm = maxGradNorm == null ? 1.0 : maxGradNorm;
      require(
          maxGradNorm >= 0,
          "max_grad_norm must be >= 0 (0 turns clipping off), got " + maxGradNorm);
      // Validates with AdamW's own messages (fields are not assigned yet: use the parameters).
      new AdamWSettings(betas.get(0), betas.get(1), eps, weightDecay);
    }

    AdamWSettings toSettings() {
      return new AdamWSettings(betas.get(0), betas.get(1), eps, weightDecay);
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
