package io.rge.cli.quickstart;

import io.rge.data.synth.RgeSynth;
import io.rge.training.objective.ObjectiveMode;
import java.nio.file.Path;
import java.util.Locale;

/**
 * The training config of one quickstart run, as the YAML file {@code scripts/rge train} reads, so
 * that every run can be repeated or changed by hand.
 */
final class TrainRecipe {
  /** Where and how every quickstart run computes: one CPU thread, so that runs share the cores. */
  private static final String HOST =
      """
      trainable: all
      device: cpu
      precision: fp32
      threads: 1
      output: .
      """;

  private TrainRecipe() {}

  /**
   * @param runDir the run's output folder (the config is written there; paths are relative to it)
   * @param synthRoot the seed's RGE-Synth folder
   * @param start the checkpoint the model starts from ({@link Pretraining}); null: random weights
   */
  static String yaml(
      QuickstartPlan plan, long seed, Variant v, Path runDir, Path synthRoot, Path start) {
    ObjectiveMode mode = v.mode();
    // Everything but the from-scratch baseline starts with (or continues from) the LM warm-up.
    boolean warm = mode != ObjectiveMode.BASELINE || v.fromWarmup();
    String restart =
        warm && plan.jointLearningRate() > 0 && plan.warmupSteps() > 0
            ? String.format(
                Locale.ROOT,
                "  restart: {step: %d, lr: %s}%n",
                plan.warmupSteps(),
                Double.toString(plan.jointLearningRate()))
            : "";
    StringBuilder subsets = new StringBuilder();
    for (String subset : RgeSynth.trainSubsets()) {
      // The fact and description rows teach what every task's rationale is made of (the colour
      // transforms, the words for what an image shows): drawn more often, they are learned first.
      double weight = subset.equals(RgeSynth.FACTS) ? 5 : subset.equals(RgeSynth.DESCRIBE) ? 4 : 1;
      subsets.append(
          String.format(Locale.ROOT, "    - {name: %s, weight: %.1f}%n", subset, weight));
    }
    return String.format(
        Locale.ROOT,
        """
        # Quickstart run: %s, seed %d (written by scripts/rge quickstart; rerun with
        #   scripts/rge train --config %s/train.yaml)
        %s%sobjective:
          mode: %s
          lm_weight: %s
          contrastive_weight: %s
          temperature: 0.05
          max_new_tokens: %d
          lm_warmup_steps: %d
          generation_batch_size: %d
        %s%s%sbatch_size: %d
        gradient_accumulation: 1
        %sseed: %d
        max_consecutive_skips: 5
        %s""",
        v.id(),
        seed,
        runDir.getFileName(),
        model(plan, v, runDir, start),
        data(runDir, synthRoot, subsets.toString()),
        mode.id(),
        Double.toString(v.lmWeight()),
        Double.toString(v.contrastiveWeight()),
        plan.maxNewTokens(),
        warm ? plan.warmupSteps() : 0,
        plan.batchSize(),
        optimizer(warm ? plan.learningRate() : plan.baselineLearningRate()),
        schedule(plan.totalSteps()),
        restart,
        plan.batchSize(),
        HOST,
        seed,
        checkpoints(plan.checkpointEvery()));
  }

  /**
   * The config of the {@link Pretraining} run: the tiny model, LM loss only, on the description
   * rows of {@code synthRoot}, every step LM-only (nothing is embedded), at the warm-up's peak
   * learning rate. {@code configs/perception-tiny-synth.yaml} holds the same settings (a test keeps
   * them equal).
   */
  static String pretraining(QuickstartPlan plan, Pretraining p, Path runDir, Path synthRoot) {
    return String.format(
        Locale.ROOT,
        """
        # Quickstart pretraining: the tiny model learns to describe RGE-Synth images; every mode
        # starts from its step-%d checkpoint (written by scripts/rge quickstart --pretrained)
        %s%sobjective:
          mode: rge
          lm_weight: 1.0
          max_new_tokens: %d
          lm_warmup_steps: %d
          generation_batch_size: %d
        %s%sbatch_size: %d
        %sseed: %d
        %s""",
        p.steps(),
        tinyModel(plan),
        data(runDir, synthRoot, "    - {name: " + RgeSynth.DESCRIBE + "}\n"),
        plan.maxNewTokens(),
        p.scheduleSteps(),
        plan.batchSize(),
        optimizer(plan.learningRate()),
        schedule(p.scheduleSteps()),
        plan.batchSize(),
        HOST,
        Pretraining.SEED,
        checkpoints(p.checkpointEvery()));
  }

  /**
   * The model block: the tiny preset from random weights, the whole pretrained model, or the preset
   * with the pretrained vision tower ({@link Variant#visionOnly}).
   */
  private static String model(QuickstartPlan plan, Variant v, Path runDir, Path start) {
    if (start == null) {
      return tinyModel(plan);
    }
    if (v.visionOnly()) {
      return tinyModel(plan) + "  vision_from: " + relative(runDir, start) + "\n";
    }
    return "model:\n  path: " + relative(runDir, start) + "\n";
  }

  /** The tiny Qwen2.5-VL preset at the plan's width (the vision tower is the preset's own). */
  private static String tinyModel(QuickstartPlan plan) {
    int heads = 4;
    int half = plan.hiddenSize() / heads / 2;
    int spatial = half * 3 / 8;
    return String.format(
        Locale.ROOT,
        """
        model:
          preset: tiny
          tiny:
            hidden_size: %d
            intermediate_size: %d
            num_hidden_layers: 3
            num_attention_heads: %d
            num_key_value_heads: 2
            mrope_section: [%d, %d, %d]
        """,
        plan.hiddenSize(),
        plan.hiddenSize() * 2,
        heads,
        half - 2 * spatial,
        spatial,
        spatial);
  }

  /**
   * The data block: RGE-Synth at {@code synthRoot}, these subset lines, the quickstart's policies.
   */
  private static String data(Path runDir, Path synthRoot, String subsets) {
    String root = relative(runDir, synthRoot);
    return String.format(
        Locale.ROOT,
        """
        data:
          train_root: %s/train
          rationales: %s/rationales
          images: [%s/images]
          subsets:
        %s  missing_rationale: contrastive_only
          missing_image: fail
          hard_negatives: true
          batch_mode: mixed
        """,
        root,
        root,
        root,
        subsets);
  }

  /** AdamW at peak learning rate {@code lr}, the quickstart's other settings. */
  private static String optimizer(double lr) {
    return String.format(
        Locale.ROOT,
        """
        optimizer:
          lr: %s
          betas: [0.9, 0.999]
          eps: 1.0e-8
          weight_decay: 0.01
          max_grad_norm: 1.0
        """,
        Double.toString(lr));
  }

  /**
   * Linear warm-up ({@link QuickstartPlan#scheduleWarmupSteps(int)}), then cosine decay to a tenth
   * of the peak; a run's {@code restart:} line, when it has one, follows it.
   */
  private static String schedule(int totalSteps) {
    return String.format(
        Locale.ROOT,
        """
        schedule:
          warmup_steps: %d
          total_steps: %d
          min_lr_ratio: 0.1
        """,
        QuickstartPlan.scheduleWarmupSteps(totalSteps),
        totalSteps);
  }

  /** Checkpoints every {@code every} steps (the last three kept) and a log line every 50. */
  private static String checkpoints(int every) {
    return String.format(
        Locale.ROOT,
        """
        checkpoint:
          every: %d
          keep: 3
        logging:
          every: 50
          progress_bar: false
        """,
        every);
  }

  private static String relative(Path from, Path to) {
    return from.relativize(to).toString().replace('\\', '/');
  }
}
