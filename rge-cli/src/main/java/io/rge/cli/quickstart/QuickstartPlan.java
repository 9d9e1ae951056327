package io.rge.cli.quickstart;

import io.rge.data.synth.SynthSize;
import java.util.List;

/**
 * What the quickstart runs: RGE-Synth per seed, the tiny Qwen2.5-VL trained from scratch (or from a
 * {@link Pretraining} checkpoint) in the three modes with identical seeds, steps and batch size,
 * and the evaluation of each.
 *
 * <p>The reasoning modes (rge, oracle-leak) first run {@code warmupSteps} LM-only steps — a model
 * trained from scratch cannot write yet, and the ×10 contrastive gradient would swamp rationale
 * learning — then {@code jointSteps} steps of the joint objective. Both modes' warm-ups are the
 * same computation (LM term only, same seed and data order), so it runs once and both continue from
 * its checkpoint. The baseline has no LM term: it trains contrastively for all steps.
 *
 * <p>The joint phase gets a learning-rate schedule of its own ({@code jointLearningRate}: a short
 * linear warm-up, then cosine decay) instead of the tail of the warm-up's cosine (2e-4 falling to
 * 1e-4). Alone it changed little (seed 0, LM : contrastive 1 : 10: seen compositions 37.8 against
 * 36.9, held-out 31.0 against 32.6); the weighting did more (see {@link
 * Variant#CONTRASTIVE_WEIGHT}).
 *
 * @param seeds one full run per seed (data, model initialisation and data order)
 * @param synthSize RGE-Synth size preset
 * @param warmupSteps LM-only steps of the reasoning modes
 * @param jointSteps joint-objective steps after them
 * @param batchSize examples per step (in-batch negatives)
 * @param learningRate peak AdamW learning rate of the reasoning modes (warm-up + cosine schedule)
 * @param baselineLearningRate peak learning rate of the baseline, whose whole run is contrastive
 * @param hiddenSize decoder width of the tiny model
 * @param maxNewTokens rationale length limit in training and evaluation
 * @param jobs child processes run at once
 * @param jointLearningRate peak learning rate of the joint phase's own schedule; 0 for none (the
 *     joint phase continues the warm-up's cosine)
 * @param ablations also train and evaluate {@link Variant#ABLATIONS}
 * @param answerFirst RGE-Synth's oracle rationales state the answer before the reasoning ({@link
 *     io.rge.data.synth.RationaleStyle#ANSWER_FIRST}), the variant where leakage should hurt
 * @param pretraining every mode starts from a model pre-trained to describe images ({@code
 *     --pretrained}); null: from random weights
 */
public record QuickstartPlan(
    List<Long> seeds,
    String synthSize,
    int warmupSteps,
    int jointSteps,
    int batchSize,
    double learningRate,
    double baselineLearningRate,
    int hiddenSize,
    int maxNewTokens,
    int jobs,
    double jointLearningRate,
    boolean ablations,
    boolean answerFirst,
    Pretraining pretraining) {

  public QuickstartPlan {
    seeds = List.copyOf(seeds);
    if (seeds.isEmpty()) {
      throw new IllegalArgumentException("at least one seed is needed");
    }
    if (warmupSteps < 0 || jointSteps <= 0) {
      throw new IllegalArgumentException(
          "steps must be warm-up >= 0 and joint > 0, got " + warmupSteps + " and " + jointSteps);
    }
    if (jointSteps % 2 != 0) {
      throw new IllegalArgumentException(
          "joint steps must be even (checkpoints are saved every jointSteps / 2 steps), got "
              + jointSteps);
    }
    if (!(learningRate > 0) || !(baselineLearningRate > 0)) {
      throw new IllegalArgumentException(
          "learning rates must be > 0, got " + learningRate + " and " + baselineLearningRate);
    }
    if (batchSize < 2) {
      throw new IllegalArgumentException("batch size must be >= 2, got " + batchSize);
    }
    if (jobs < 1) {
      throw new IllegalArgumentException("jobs must be >= 1, got " + jobs);
    }
    SynthSize.preset(synthSize); // names the presets when there is no such one
    if (hiddenSize < 16 || hiddenSize % 16 != 0) {
      // 4 heads whose rotary half-width must split into M-RoPE's three sections
      throw new IllegalArgumentException(
          "hidden size must be a multiple of 16 (>= 16), got " + hiddenSize);
    }
    if (!(jointLearningRate >= 0) || Double.isInfinite(jointLearningRate)) {
      throw new IllegalArgumentException(
          "joint learning rate must be >= 0 (0: none), got " + jointLearningRate);
    }
    if (maxNewTokens < 1) {
      throw new IllegalArgumentException("max new tokens must be >= 1, got " + maxNewTokens);
    }
  }

  /**
   * The defaults: one seed, sized to finish in about ten minutes on 2 CPU cores.
   *
   * <p>Learning rates were chosen on training loss alone. The LM warm-up learns fastest at 1e-3
   * (final LM loss 0.10 against 0.13 at 2e-3); the joint phase, with its own schedule, peaks at the
   * baseline's rate, untuned. A contrastive-only run from scratch collapses at 1e-3 on this model
   * (all embeddings alike, loss stuck at the log of the number of distinct candidates, gradient
   * norm falling to 0.05); at 5e-4 its loss falls steadily, so the baseline gets that.
   */
  public static QuickstartPlan defaults(int seeds, int jobs) {
    List<Long> list = new java.util.ArrayList<>();
    for (long s = 0; s < seeds; s++) {
      list.add(s);
    }
    return new QuickstartPlan(
        list, "small", 1000, 300, 32, 1e-3, 5e-4, 128, 16, jobs, 5e-4, false, false, null);
  }

  /**
   * The report's rows: the three modes, rge and the baseline from the pretrained vision tower alone
   * under {@code --pretrained}, then the ablations when asked for.
   */
  List<Variant> variants() {
    List<Variant> all = new java.util.ArrayList<>(Variant.DEFAULTS);
    if (pretraining != null) {
      all.addAll(Variant.VISION_ONLY);
    }
    if (ablations) {
      all.addAll(Variant.ABLATIONS);
    }
    return List.copyOf(all);
  }

  public int totalSteps() {
    return warmupSteps + jointSteps;
  }

  /**
   * Linear learning-rate warm-up steps of every run's schedule: 100 (the defaults' value), but
   * never more than a tenth of a shorter run, so that any valid step counts give a valid config.
   */
  public int scheduleWarmupSteps() {
    return scheduleWarmupSteps(totalSteps());
  }

  /** The warm-up rule of every quickstart schedule (the pretraining's too) of this length. */
  static int scheduleWarmupSteps(int scheduleSteps) {
    return Math.min(100, scheduleSteps / 10);
  }

  /**
   * Steps between checkpoints, counted from step 0 (the final step is always saved too). The last
   * two are evaluated: with the defaults, steps 1200 and 1300.
   */
  public int checkpointEvery() {
    return jointSteps / 2;
  }
}
