package io.rge.training;

import ai.djl.Device;
import ai.djl.pytorch.jni.JniUtils;
import io.rge.core.DjlEngine;
import io.rge.core.LoadOptions;
import io.rge.core.RgeModel;
import io.rge.core.files.FolderLock;
import io.rge.core.image.ImageProcessorConfig;
import io.rge.core.precision.ComputePrecision;
import io.rge.core.preset.TinyPreset;
import io.rge.core.progress.ProgressListener;
import io.rge.core.qwen25vl.ModelConfigReader;
import io.rge.core.qwen25vl.ModelWeight;
import io.rge.core.qwen25vl.Qwen25VLConfig;
import io.rge.data.mixture.BatchCursor;
import io.rge.data.mixture.TrainingMixture;
import io.rge.data.mmeb.TrainRow;
import io.rge.training.checkpoint.CheckpointProvenance;
import io.rge.training.checkpoint.CheckpointStore;
import io.rge.training.checkpoint.TrainerState;
import io.rge.training.config.TrainConfig;
import io.rge.training.data.ExampleFactory;
import io.rge.training.data.TrainingData;
import io.rge.training.memory.DeviceMemory;
import io.rge.training.memory.MemoryPlan;
import io.rge.training.metrics.LossPlot;
import io.rge.training.metrics.MetricsLog;
import io.rge.training.metrics.StepMetrics;
import io.rge.training.metrics.TrainSummary;
import io.rge.training.metrics.TrainingProgress;
import io.rge.training.optim.AdamW;
import io.rge.training.parallel.DataParallel;
import io.rge.training.precision.LossScale;
import io.rge.training.precision.MasterWeights;
import io.rge.training.schedule.LearningRate;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Trains a model with the RGE objective as a {@link TrainConfig} describes, resuming from the
 * newest intact checkpoint in the output folder.
 *
 * <pre>{@code
 * TrainConfig config = TrainConfig.tinySynth(Path.of("data/rge-synth"), Path.of("runs/tiny"),
 *     ObjectiveMode.RGE, 300);
 * TrainResult result = new Trainer(config).run();
 * try (RgeModel model = RgeModel.load(result.finalCheckpoint(), DeviceChoice.AUTO)) { ... }
 * }</pre>
 *
 * <p>The output folder receives {@code checkpoints/step-NNNNNNNN/} (every {@code checkpoint.every}
 * steps and at the end, the newest {@code checkpoint.keep} kept), {@code metrics.jsonl} (one line
 * per step), {@code provenance.json}, and at the end {@code loss.png} and {@code summary.json}.
 */
public final class Trainer {
  private static final Logger LOG = LoggerFactory.getLogger(Trainer.class);

  /** File names in the output folder. */
  public static final String CHECKPOINTS = "checkpoints";

  public static final String METRICS = "metrics.jsonl";
  public static final String PLOT = "loss.png";
  public static final String SUMMARY = "summary.json";

  /**
   * Prompt tokens per row assumed by the memory plan: a 448² image (256 tokens) and its
   * instruction.
   */
  static final int PROMPT_TOKENS_ESTIMATE = 384;

  private final TrainConfig config;
  private final boolean fresh;
  private final ProgressListener progress;
  private TrainerHooks hooks = TrainerHooks.NONE;
  // The config's devices, resolved on the engine once, when first needed (lead first).
  private List<Device> devices;

  /** A trainer that resumes from the output folder's newest intact checkpoint, if any. */
  public Trainer(TrainConfig config) {
    this(config, false);
  }

  /**
   * @param fresh start from scratch even when the output folder has checkpoints; the earlier run's
   *     checkpoints and logs are moved into {@code previous-<time>/} there, not deleted
   */
  public Trainer(TrainConfig config, boolean fresh) {
    this(config, fresh, ProgressListener.NONE);
  }

  /**
   * @param progress where the steps done and the running losses are reported (the command line
   *     draws them as a bar when {@code logging.progress_bar} is on)
   */
  public Trainer(TrainConfig config, boolean fresh, ProgressListener progress) {
    this.config = config.withPaths(p -> Path.of(p).toAbsolutePath().normalize().toString());
    this.fresh = fresh;
    this.progress = progress;
  }

  void setHooks(TrainerHooks hooks) {
    this.hooks = hooks;
  }

  public TrainConfig config() {
    return config;
  }

  /** Trains to the schedule's last step. */
  public TrainResult run() throws IOException {
    return run(Long.MAX_VALUE);
  }

  /**
   * Trains until step {@code stopAfterStep} (1-based, inclusive) or the schedule's end, whichever
   * comes first, and writes a checkpoint there; the schedule keeps its full length, so a later
   * {@link #run()} continues exactly as if never stopped.
   *
   * @throws TrainingStoppedException after {@code max_consecutive_skips} non-finite steps in a row
   */
  public TrainResult run(long stopAfterStep) throws IOException {
    Path output = Path.of(config.output());
    // The output folder is this run's until it ends: a second run on it (which would resume from
    // this one's checkpoints while they are written, and interleave its history) is refused.
    try (FolderLock lock = FolderLock.acquire(output, "a training run (rge train)")) {
      return runHolding(output, stopAfterStep);
    }
  }

  private TrainResult runHolding(Path output, long stopAfterStep) throws IOException {
    DjlEngine.get();
    // A device that is not there is an error now, not a reason to distrust the checkpoints.
    List<Device> devices = devices();
    Device device = devices.get(0);
    if (config.threads() != null) {
      JniUtils.setNumThreads(config.threads());
    }
    ComputePrecision precision = TrainingPrecision.check(config.precision(), device);
    if (devices.size() > 1 && precision.isHalf()) {
      // The replicas' objective has no fp16 loss scale and their copies no fp32 masters yet.
      throw new IllegalArgumentException(
          "devices: data-parallel training runs in fp32 in this version, got precision "
              + precision.id()
              + "; set precision: fp32 or train on one device");
    }
    if (!config.model().isPreset()) {
      // Refused here, before the data or the weights are read, when it cannot fit.
      checkMemory(memoryPlan(readModelConfig(), precision));
    }
    CheckpointStore store = new CheckpointStore(output.resolve(CHECKPOINTS));
    if (fresh) {
      archivePreviousRun(output);
    }
    store.removeStaleTemporaries();
    try (TrainingData data =
        TrainingData.open(config.data(), config.batchSize(), config.seed(), imageDecodeTarget())) {
      TrainingMixture<TrainRow> mixture = data.mixture();
      long totalSteps =
          config.schedule().steps(mixture.batchesPerEpoch(), config.gradientAccumulation());
      LearningRate schedule = config.schedule().toSchedule(config.optimizer().lr(), totalSteps);
      Resumed resumed = fresh ? null : resume(store, precision);
      try (RgeModel model = resumed != null ? resumed.model() : createModel(data, precision)) {
        model.network().setActivationRecomputation(config.activationCheckpointing());
        List<ModelWeight> trainable = trainableWeights(model);
        LOG.info(
            "training {} weight arrays ({} parameters, {}); the model has {}",
            trainable.size(),
            trainable.stream().mapToLong(w -> w.value().size()).sum(),
            config.adapters() == null
                ? "trainable: " + config.trainable().id()
                : "adapters: " + config.adapters().type().id() + " r " + config.adapters().r(),
            model.network().weights().all().size());
        try (MasterWeights masters = MasterWeights.of(trainable, model.manager());
            AdamW optimizer = new AdamW(masters.masters(), config.adamW(), model.manager());
            DataParallel parallel =
                devices.size() < 2
                    ? null
                    : DataParallel.start(
                        model,
                        trainable,
                        devices,
                        this::trainableWeights,
                        config.logging().replicaCheckEvery())) {
          TrainerState state;
          BatchCursor<TrainRow> cursor;
          LossScale lossScale = TrainingPrecision.initialLossScale(precision);
          if (resumed != null) {
            state = resumed.state();
            if (masters.hasHalfWeights()) {
              masters.read(resumed.dir().resolve(CheckpointStore.MASTERS_FILE));
            }
            if (state.lossScale().isDynamic() == lossScale.isDynamic()) {
              lossScale = state.lossScale();
            }
            optimizer.readMoments(
                resumed.dir().resolve(CheckpointStore.MOMENTS_FILE), state.optimizerUpdates());
            cursor = mixture.resume(state.mixture());
            LOG.info("resumed from {} at step {} of {}", resumed.dir(), state.step(), totalSteps);
          } else {
            cursor = mixture.start();
            state =
                TrainerState.of(
                    0, 0, cursor.position(), config.seed(), 0, 0, 0, List.of(), lossScale);
          }
          CheckpointProvenance provenance =
              CheckpointProvenance.collect(
                  config, config.seed(), device.toString(), data.fingerprints());
          provenance.write(output.resolve(CheckpointProvenance.FILE_NAME));
          Loop loop =
              new Loop(
                  model,
                  optimizer,
                  masters,
                  new StepRunner(
                      config,
                      model,
                      masters,
                      optimizer,
                      new ExampleFactory(data.images(), config.data().hardNegatives()),
                      parallel,
                      lossScale,
                      hooks),
                  schedule,
                  cursor,
                  store,
                  provenance,
                  state,
                  resumed == null ? null : resumed.dir());
          return loop.run(output, totalSteps, stopAfterStep);
        }
      }
    }
  }

  private record Resumed(Path dir, RgeModel model, TrainerState state) {}

  /**
   * The run's devices, one per model replica, lead first (one device for a one-entry {@code
   * devices}), resolved once.
   *
   * @throws IllegalArgumentException when a device is not visible or the micro-batch cannot give
   *     each replica a row
   */
  private List<Device> devices() {
    if (devices != null) {
      return devices;
    }
    List<Device> resolved = config.devices().resolve();
    if (resolved.size() > config.batchSize()) {
      throw new IllegalArgumentException(
          "devices: "
              + resolved.size()
              + " replicas need batch_size >= "
              + resolved.size()
              + " (each takes a slice of every micro-batch), got "
              + config.batchSize());
    }
    devices = resolved;
    return devices;
  }

  /**
   * The weights the run trains: with adapters, theirs and the {@code <emb>} row (attached now on a
   * fresh model, read back from the checkpoint on a resumed one), the base frozen; otherwise the
   * model's own weights that {@code trainable} selects.
   */
  private List<ModelWeight> trainableWeights(RgeModel model) {
    if (config.adapters() == null) {
      model.network().weights().setTrainable(config.trainable());
      return model.network().weights().trainable();
    }
    return model
        .adapters()
        .orElseGet(() -> model.attachAdapters(config.adapters(), config.seed()))
        .weights();
  }

  /**
   * The run's memory plan (see {@link MemoryPlan}): the model's config from its folder, or the tiny
   * preset built from the training data's vocabulary. Reads no weights.
   */
  public MemoryPlan memoryPlan() throws IOException {
    ComputePrecision precision = TrainingPrecision.planned(config.precision(), devices().get(0));
    if (!config.model().isPreset()) {
      return memoryPlan(readModelConfig(), precision);
    }
    try (TrainingData data = TrainingData.open(config.data(), config.batchSize(), config.seed())) {
      TinyPreset preset =
          TinyPreset.create(data.vocabularyTexts(), config.model().tinyOptions(config.seed()));
      return memoryPlan(preset.config(), precision);
    }
  }

  /** Logs the plan and refuses it, with its numbers, when the device cannot hold it. */
  public void checkMemory(MemoryPlan plan) {
    LOG.info("{}", plan.describe());
    Device device = devices().get(0);
    DeviceMemory.require(plan, device, DeviceMemory.capacity(device));
  }

  private MemoryPlan memoryPlan(Qwen25VLConfig model, ComputePrecision precision) {
    int rationale = config.objectiveSettings().maxNewTokens();
    int replicas = devices().size();
    // Each replica holds its slice of the micro-batch.
    int rowsPerReplica = (config.batchSize() + replicas - 1) / replicas;
    if (config.adapters() != null) {
      return MemoryPlan.withAdapters(
          model,
          config.adapters(),
          precision,
          config.activationCheckpointing(),
          rowsPerReplica,
          PROMPT_TOKENS_ESTIMATE + rationale,
          rationale);
    }
    return MemoryPlan.of(
        model,
        config.trainable()::trains,
        precision,
        config.activationCheckpointing(),
        rowsPerReplica,
        PROMPT_TOKENS_ESTIMATE + rationale,
        rationale);
  }

  private Qwen25VLConfig readModelConfig() throws IOException {
    return ModelConfigReader.readFolder(Path.of(config.model().path()));
  }

  /**
   * The newest checkpoint that verifies; newer incomplete or corrupt ones are moved aside. One that
   * verifies but does not load is an error, not a reason to fall back: its files are the ones
   * written, so the cause lies elsewhere (the config, the environment).
   */
  private Resumed resume(CheckpointStore store, ComputePrecision precision) throws IOException {
    for (Path dir : store.list()) {
      Optional<String> problem = store.verify(dir);
      if (problem.isPresent()) {
        LOG.warn(
            "checkpoint {} is incomplete or corrupt ({}); falling back to the previous one",
            dir.getFileName(),
            problem.get());
        store.quarantine(dir, problem.get());
        continue;
      }
      TrainerState state = store.readState(dir);
      try {
        // An adapter run's checkpoint must hold its adapters: asked for, their absence fails.
        RgeModel model =
            RgeModel.load(
                LoadOptions.builder()
                    .setModel(dir)
                    .optAdapters(config.adapters() == null ? null : dir)
                    .optDevice(config.device())
                    .optPrecision(precision)
                    .build());
        return new Resumed(dir, model, state);
      } catch (IOException | RuntimeException e) {
        throw new IOException(
            "cannot resume from checkpoint "
                + dir
                + " (it is intact but does not load): "
                + e.getMessage()
                + "; use --fresh to start over",
            e);
      }
    }
    return null;
  }

  /** What the model's image processor resizes to (0: the tiny preset's images are used whole). */
  private long imageDecodeTarget() throws IOException {
    TrainConfig.Model m = config.model();
    return m.isPreset() ? 0 : ImageProcessorConfig.read(Path.of(m.path())).decodeTarget();
  }

  private RgeModel createModel(TrainingData data, ComputePrecision precision) throws IOException {
    TrainConfig.Model m = config.model();
    if (!m.isPreset()) {
      return RgeModel.load(
          LoadOptions.builder()
              .setModel(Path.of(m.path()))
              .optDevice(config.device())
              .optPrecision(precision)
              .build());
    }
    TinyPreset preset = TinyPreset.create(data.vocabularyTexts(), m.tinyOptions(config.seed()));
    LOG.info("tiny preset: vocabulary of {} tokens from the training data", preset.vocabSize());
    Path visionFrom = m.visionFrom() == null ? null : Path.of(m.visionFrom());
    if (visionFrom != null) {
      LOG.info("tiny preset: vision tower from {}", visionFrom);
    }
    return RgeModel.load(
        LoadOptions.builder()
            .setPreset(preset, config.seed())
            .optVisionFrom(visionFrom)
            .optDevice(config.device())
            .optPrecision(precision)
            .build());
  }

  /** Moves an earlier run's checkpoints and logs into {@code previous-<time>/}. */
  private static void archivePreviousRun(Path output) throws IOException {
    List<String> names =
        List.of(CHECKPOINTS, METRICS, PLOT, SUMMARY, CheckpointProvenance.FILE_NAME);
    List<Path> present = new ArrayList<>();
    for (String name : names) {
      if (Files.exists(output.resolve(name))) {
        present.add(output.resolve(name));
      }
    }
    if (present.isEmpty()) {
      return;
    }
    String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
    Path archive = output.resolve("previous-" + stamp);
    for (int k = 2; Files.exists(archive); k++) {
      archive = output.resolve("previous-" + stamp + "-" + k);
    }
    Files.createDirectories(archive);
    for (Path p : present) {
      Files.move(p, archive.resolve(p.getFileName()));
    }
    LOG.warn("--fresh: moved the earlier run's {} into {}", names, archive);
  }

  /** The step loop of one invocation, with its bookkeeping. */
  private final class Loop {
    private final RgeModel model;
    private final AdamW optimizer;
    private final MasterWeights masters;
    private final StepRunner runner;
    private final LearningRate schedule;
    private final BatchCursor<TrainRow> cursor;
    private final CheckpointStore store;
    private final CheckpointProvenance provenance;
    private final List<StepMetrics> history;
    private long step;
    private long skippedSteps;
    private int consecutiveSkips;
    private double trainingSeconds;
    private Path lastCheckpoint;

    Loop(
        RgeModel model,
        AdamW optimizer,
        MasterWeights masters,
        StepRunner runner,
        LearningRate schedule,
        BatchCursor<TrainRow> cursor,
        CheckpointStore store,
        CheckpointProvenance provenance,
        TrainerState state,
        Path lastCheckpoint) {
      this.model = model;
      this.optimizer = optimizer;
      this.masters = masters;
      this.runner = runner;
      this.schedule = schedule;
      this.cursor = cursor;
      this.store = store;
      this.provenance = provenance;
      this.history = new ArrayList<>(state.history());
      this.step = state.step();
      this.skippedSteps = state.skippedSteps();
      this.consecutiveSkips = state.consecutiveSkips();
      this.trainingSeconds = state.trainingSeconds();
      this.lastCheckpoint = lastCheckpoint;
    }

    TrainResult run(Path output, long totalSteps, long stopAfterStep) throws IOException {
      long end = Math.min(totalSteps, Math.max(step, stopAfterStep));
      long firstStep = step;
      String mode = config.objectiveSettings().mode().id();
      try (MetricsLog metrics = MetricsLog.open(output.resolve(METRICS), history);
          TrainingProgress progress =
              TrainingProgress.start(Trainer.this.progress, "train " + mode, step, totalSteps)) {
        while (step < end) {
          hooks.beforeStep(step, model);
          List<List<TrainRow>> microBatches = new ArrayList<>();
          for (int i = 0; i < config.gradientAccumulation(); i++) {
            microBatches.add(cursor.next());
          }
          StepMetrics m = runner.run(step, schedule.at(step), microBatches);
          step++;
          history.add(m);
          metrics.append(m);
          progress.step(m);
          trainingSeconds += m.seconds();
          if (m.skipped()) {
            skippedSteps++;
            consecutiveSkips++;
            if (consecutiveSkips >= config.maxConsecutiveSkips()) {
              throw new TrainingStoppedException(stopMessage());
            }
          } else {
            consecutiveSkips = 0;
          }
          if (step % config.logging().every() == 0 || step == end) {
            LOG.info(
                "step {}/{}{}: {} lr {} grad norm {} ({} rows/s)",
                step,
                totalSteps,
                m.lmOnly() ? " (LM-only)" : "",
                m.skipped() ? "skipped" : progress.message(),
                String.format("%.3g", m.lr()),
                m.gradNorm() == null ? "n/a" : String.format("%.3g", m.gradNorm()),
                String.format("%.1f", m.examplesPerSecond()));
          }
          if (step % config.checkpoint().every() == 0 && step < end) {
            checkpoint();
          }
        }
      }
      if (lastCheckpoint == null || CheckpointStore.stepOf(lastCheckpoint) != step) {
        checkpoint();
      }
      TrainSummary summary =
          TrainSummary.of(
              mode,
              history,
              totalSteps,
              step - firstStep,
              trainingSeconds,
              skippedSteps,
              lastCheckpoint);
      long warmupEnd = runner.lmOnlySteps(totalSteps);
      LossPlot.write(
          output.resolve(PLOT), history, "Training losses, " + mode + " mode", warmupEnd);
      summary.write(output.resolve(SUMMARY));
      LOG.info(
          "trained {} steps ({} this run, {} skipped) in {} s; final losses: total {}, lm {},"
              + " contrastive {}; checkpoint {}",
          summary.steps(),
          summary.stepsThisRun(),
          summary.skippedSteps(),
          String.format("%.1f", summary.seconds()),
          summary.finalTotal(),
          summary.finalLm(),
          summary.finalContrastive(),
          lastCheckpoint);
      return new TrainResult(output, lastCheckpoint, history, summary, step >= totalSteps);
    }

    private void checkpoint() throws IOException {
      TrainerState state =
          TrainerState.of(
              step,
              optimizer.updates(),
              cursor.position(),
              config.seed(),
              skippedSteps,
              consecutiveSkips,
              trainingSeconds,
              history,
              runner.lossScale());
      lastCheckpoint = store.save(model, optimizer, masters, state, provenance);
      store.prune(config.checkpoint().keep());
      LOG.debug("wrote checkpoint {}", lastCheckpoint);
    }

    private String stopMessage() {
      return "training stopped: "
          + consecutiveSkips
          + " steps in a row (through step "
          + step
          + ") had a non-finite loss or gradient and were skipped (limit max_consecutive_skips = "
          + config.maxConsecutiveSkips()
          + "). "
          + (lastCheckpoint == null
              ? "No checkpoint was written yet."
              : "The last checkpoint, "
                  + lastCheckpoint
                  + ", is intact; a new run resumes from it.")
          + " Lower optimizer.lr, check the data, or enable clipping (optimizer.max_grad_norm).";
    }
  }
}
