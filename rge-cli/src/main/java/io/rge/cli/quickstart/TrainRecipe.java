package io.rge.cli.quickstart;

import io.rge.core.DeviceChoice;
import io.rge.core.generation.GenerationSettings.Batching;
import io.rge.core.precision.ComputePrecision;
import io.rge.core.preset.TinyOptions;
import io.rge.data.images.MissingImagePolicy;
import io.rge.data.mixture.BatchMode;
import io.rge.data.rationale.MissingRationalePolicy;
import io.rge.data.synth.RgeSynth;
import io.rge.training.config.TrainConfig;
import io.rge.training.objective.ObjectiveMode;
import io.rge.training.objective.ObjectiveSettings;
import io.rge.training.optim.AdamWSettings;
import io.rge.training.optim.TrainableParts;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The training config of one quickstart run, written as the YAML file {@code scripts/rge train}
 * reads ({@link TrainConfig#toYaml()}), so that every run can be repeated or changed by hand. Paths
 * are relative to the run's folder, where the file is written.
 */
final class TrainRecipe {
  private TrainRecipe() {}

  /**
   * @param runDir the run's output folder (the config is written there; paths are relative to it)
   * @param synthRoot the seed's RGE-Synth folder
   * @param start the checkpoint the model starts from ({@link Pretraining}); null: random weights
   */
  static TrainConfig config(
      QuickstartPlan plan, long seed, Variant v, Path runDir, Path synthRoot, Path start) {
    ObjectiveMode mode = v.mode();
    // Everything but the from-scratch baseline starts with (or continues from) the LM warm-up.
    boolean warm = mode != ObjectiveMode.BASELINE || v.fromWarmup();
    TrainConfig.Restart restart =
        warm && plan.jointLearningRate() > 0 && plan.warmupSteps() > 0
            ? new TrainConfig.Restart((long) plan.warmupSteps(), plan.jointLearningRate())
            : null;
    List<TrainConfig.Subset> subsets = new ArrayList<>();
    for (String subset : RgeSynth.trainSubsets()) {
      // The fact and description rows teach what every task's rationale is made of (the colour
      // transforms, the words for what an image shows): drawn more often, they are learned first.
      double weight = subset.equals(RgeSynth.FACTS) ? 5 : subset.equals(RgeSynth.DESCRIBE) ? 4 : 1;
      subsets.add(new TrainConfig.Subset(subset, null, null, weight));
    }
    return host(plan, seed, plan.checkpointEvery())
        .model(model(plan, v, runDir, start))
        .data(data(runDir, synthRoot, subsets))
        .objective(
            objective(
                plan, mode, v.lmWeight(), v.contrastiveWeight(), warm ? plan.warmupSteps() : 0))
        .optimizer(optimizer(warm ? plan.learningRate() : plan.baselineLearningRate()))
        .schedule(schedule(plan.totalSteps(), restart))
        .build();
  }

  /** {@link #config} as the file's text, with a comment saying how to run it again. */
  static String yaml(
      QuickstartPlan plan, long seed, Variant v, Path runDir, Path synthRoot, Path start) {
    return "# Quickstart run: "
        + v.id()
        + ", seed "
        + seed
        + " (written by scripts/rge quickstart; rerun with\n#   scripts/rge train --config "
        + runDir.getFileName()
        + "/train.yaml)\n"
        + config(plan, seed, v, runDir, synthRoot, start).toYaml();
  }

  /**
   * The config of the {@link Pretraining} run: the tiny model, LM loss only, on the description
   * rows of {@code synthRoot}, every step LM-only (nothing is embedded), at the warm-up's peak
   * learning rate. {@code configs/perception-tiny-synth.yaml} holds the same settings (a test keeps
   * them equal).
   */
  static TrainConfig pretrainingConfig(
      QuickstartPlan plan, Pretraining p, Path runDir, Path synthRoot) {
    // LM loss only: the contrastive settings keep their defaults and never act.
    ObjectiveSettings paper = ObjectiveSettings.paper(ObjectiveMode.RGE);
    return host(plan, Pretraining.SEED, p.checkpointEvery())
        .model(new TrainConfig.Model(null, "tiny", tinySizes(plan)))
        .data(
            data(
                runDir,
                synthRoot,
                List.of(new TrainConfig.Subset(RgeSynth.DESCRIBE, null, null, null))))
        .objective(
            new TrainConfig.Objective(
                new ObjectiveSettings(
                    ObjectiveMode.RGE,
                    1.0,
                    paper.contrastiveWeight(),
                    paper.temperature(),
                    plan.maxNewTokens(),
                    true,
                    plan.batchSize(),
                    paper.generationBatching()),
                p.scheduleSteps()))
        .optimizer(optimizer(plan.learningRate()))
        .schedule(schedule(p.scheduleSteps(), null))
        .build();
  }

  /** {@link #pretrainingConfig} as the file's text, with a comment saying what it is. */
  static String pretraining(QuickstartPlan plan, Pretraining p, Path runDir, Path synthRoot) {
    return "# Quickstart pretraining: the tiny model learns to describe RGE-Synth images; every mode\n"
        + "# starts from its step-"
        + p.steps()
        + " checkpoint (written by scripts/rge quickstart --pretrained)\n"
        + pretrainingConfig(plan, p, runDir, synthRoot).toYaml();
  }

  /**
   * Where and how every quickstart run computes (one CPU thread, so that runs share the cores, in
   * fp32), its batch, seed, checkpoints (the last three kept) and a log line every 50 steps.
   */
  private static TrainConfig.Builder host(QuickstartPlan plan, long seed, int checkpointEvery) {
    return TrainConfig.builder()
        .batchSize(plan.batchSize())
        .gradientAccumulation(1)
        .trainable(TrainableParts.ALL)
        .device(DeviceChoice.CPU)
        .precision(ComputePrecision.FP32.id())
        .threads(1)
        .output(".")
        .seed(seed)
        .maxConsecutiveSkips(5)
        .checkpoint(new TrainConfig.Checkpoint(checkpointEvery, 3))
        .logging(new TrainConfig.Logging(50, false, null));
  }

  /**
   * The model: the tiny preset from random weights, the whole pretrained model, or the preset with
   * the pretrained vision tower ({@link Variant#visionOnly}).
   */
  private static TrainConfig.Model model(QuickstartPlan plan, Variant v, Path runDir, Path start) {
    if (start == null) {
      return new TrainConfig.Model(null, "tiny", tinySizes(plan));
    }
    if (v.visionOnly()) {
      return new TrainConfig.Model(null, "tiny", tinySizes(plan), relative(runDir, start));
    }
    return new TrainConfig.Model(relative(runDir, start), null, null);
  }

  /** The tiny Qwen2.5-VL preset at the plan's width (the vision tower is the preset's own). */
  private static TinyOptions tinySizes(QuickstartPlan plan) {
    int heads = 4;
    int half = plan.hiddenSize() / heads / 2;
    int spatial = half * 3 / 8;
    return TinyOptions.sizes(
        plan.hiddenSize(),
        plan.hiddenSize() * 2,
        3,
        heads,
        2,
        List.of(half - 2 * spatial, spatial, spatial),
        null,
        null,
        null,
        null,
        null);
  }

  /** RGE-Synth at {@code synthRoot}, these subsets, the quickstart's policies. */
  private static TrainConfig.Data data(
      Path runDir, Path synthRoot, List<TrainConfig.Subset> subsets) {
    String root = relative(runDir, synthRoot);
    return new TrainConfig.Data(
        root + "/train",
        null,
        subsets,
        null,
        root + "/rationales",
        List.of(root + "/images"),
        null,
        MissingRationalePolicy.CONTRASTIVE_ONLY,
        MissingImagePolicy.FAIL,
        true,
        BatchMode.MIXED,
        null);
  }

  /** The quickstart's objective: τ 0.05, the plan's rationale limit and generation batch. */
  private static TrainConfig.Objective objective(
      QuickstartPlan plan, ObjectiveMode mode, double lm, double contrastive, int lmWarmupSteps) {
    return new TrainConfig.Objective(
        new ObjectiveSettings(
            mode,
            lm,
            contrastive,
            0.05,
            plan.maxNewTokens(),
            true,
            plan.batchSize(),
            Batching.CONTINUOUS),
        lmWarmupSteps);
  }

  /** AdamW at peak learning rate {@code lr}, the quickstart's other settings. */
  private static TrainConfig.Optimizer optimizer(double lr) {
    return new TrainConfig.Optimizer(lr, AdamWSettings.defaults(0.01), 1.0);
  }

  /**
   * Linear warm-up ({@link QuickstartPlan#scheduleWarmupSteps(int)}), then cosine decay to a tenth
   * of the peak; from {@code restart} on, when given, a schedule of its own.
   */
  private static TrainConfig.Schedule schedule(int totalSteps, TrainConfig.Restart restart) {
    return new TrainConfig.Schedule(
        QuickstartPlan.scheduleWarmupSteps(totalSteps), (long) totalSteps, null, 0.1, restart);
  }

  private static String relative(Path from, Path to) {
    return from.relativize(to).toString().replace('\\', '/');
  }
}
