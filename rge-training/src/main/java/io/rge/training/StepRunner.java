package io.rge.training;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.rge.core.RgeModel;
import io.rge.core.qwen25vl.ModelWeight;
import io.rge.data.mmeb.TrainRow;
import io.rge.training.config.TrainConfig;
import io.rge.training.data.ExampleFactory;
import io.rge.training.metrics.StepMetrics;
import io.rge.training.objective.ContrastiveBatch;
import io.rge.training.objective.ObjectiveSettings;
import io.rge.training.objective.RgeObjective;
import io.rge.training.objective.StepLosses;
import io.rge.training.objective.TrainExample;
import io.rge.training.objective.Workers;
import io.rge.training.optim.AdamW;
import io.rge.training.optim.GradientNorm;
import io.rge.training.parallel.DataParallel;
import io.rge.training.precision.LossScale;
import io.rge.training.precision.MasterWeights;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One optimizer step: the objective over the step's micro-batches — one InfoNCE over all their rows
 * ({@code contrastive_batch: step}, GradCache) or each micro-batch's own (gradients accumulated
 * with loss scale 1/k; also every LM-only step) — one global gradient norm, then either an AdamW
 * update with clipping or — when a loss or the norm is not finite — no update at all. Gradients are
 * cleared either way.
 */
final class StepRunner {
  private static final Logger LOG = LoggerFactory.getLogger(StepRunner.class);

  private final RgeModel model;
  private final MasterWeights weights;
  private final AdamW optimizer;
  private final ExampleFactory examples;
  private final RgeObjective objective;
  private final DataParallel parallel;
  private final ObjectiveSettings settings;
  private final ContrastiveBatch contrastiveBatch;
  private final long lmWarmupSteps;
  private final double maxGradNorm;
  private final long seed;
  private final TrainerHooks hooks;
  private LossScale lossScale;

  /**
   * @param weights the trainable weights with their fp32 masters (the optimizer's weights)
   * @param parallel the replicas of a data-parallel run, or null for one model
   * @param lossScale the loss scale of the first step (fp16's dynamic scale, or none)
   */
  StepRunner(
      TrainConfig config,
      RgeModel model,
      MasterWeights weights,
      AdamW optimizer,
      ExampleFactory examples,
      DataParallel parallel,
      LossScale lossScale,
      TrainerHooks hooks) {
    this.model = model;
    this.weights = weights;
    this.optimizer = optimizer;
    this.examples = examples;
    this.objective =
        new RgeObjective(parallel == null ? Workers.inline(model) : parallel.workers());
    this.parallel = parallel;
    this.settings = config.objectiveSettings();
    this.contrastiveBatch = config.contrastiveBatch();
    this.lmWarmupSteps = config.objective().lmWarmupSteps();
    this.maxGradNorm = config.optimizer().maxGradNorm();
    this.seed = config.seed();
    this.lossScale = lossScale;
    this.hooks = hooks;
  }

  /** LM-only warm-up steps at the start of a run of {@code totalSteps}. */
  long lmOnlySteps(long totalSteps) {
    return settings.lmOnlySteps(lmWarmupSteps, totalSteps);
  }

  /** The loss scale of the next step (saved with the trainer state). */
  LossScale lossScale() {
    return lossScale;
  }

  boolean isLmOnly(long step) {
    return step < lmOnlySteps(Long.MAX_VALUE);
  }

  /**
   * Runs 0-based step {@code step} over {@code microBatches} at learning rate {@code lr}.
   *
   * @return the step's metrics; {@code skipped()} tells whether the weights were left unchanged
   */
  StepMetrics run(long step, double lr, List<List<TrainRow>> microBatches) {
    long start = System.nanoTime();
    // Nothing random runs today (greedy generation); seeding per step keeps any future sampling
    // reproducible across a resume.
    Engine.getInstance().setRandomSeed(stepSeed(seed, step));
    boolean lmOnly = isLmOnly(step);
    ObjectiveSettings s = lmOnly ? settings.withContrastiveWeight(0) : settings;
    model.adapters().ifPresent(a -> a.setTraining(true)); // adapter dropout
    double scale = lossScale.scale();
    StepLosses losses;
    try {
      List<List<TrainExample>> all = new ArrayList<>(microBatches.size());
      for (List<TrainRow> batch : microBatches) {
        // An LM-only micro-batch without oracle rationales has no loss: its images stay unread.
        boolean nothing = lmOnly && batch.stream().allMatch(r -> r.rationale() == null);
        all.add(nothing ? List.of() : examples.toExamples(batch));
      }
      losses = objective.step(all, s, contrastiveBatch, scale);
      hooks.afterBackward(step, model);
    } finally {
      model.adapters().ifPresent(a -> a.setTraining(false));
    }
    boolean finite = losses.isFinite();
    int contributed = losses.groups();
    int rows = microBatches.stream().mapToInt(List::size).sum();
    boolean skipped;
    double norm;
    try (NDManager scope = model.manager().newSubManager()) {
      // Gradients of the loss times the scale, in the compute type: norm and update in fp32.
      List<NDArray> gradients = weights.gradients(scope);
      norm = finite && contributed > 0 ? GradientNorm.of(gradients, scope) / scale : Double.NaN;
      skipped = !finite || !Double.isFinite(norm) || contributed == 0;
      if (!skipped) {
        optimizer.step(lr, GradientNorm.clipScale(norm, maxGradNorm) / scale, gradients);
        weights.refresh();
      }
    }
    if (contributed > 0) {
      lossScale = lossScale.after(skipped);
    }
    if (!skipped) {
      LOG.debug("step {}: updated", step + 1);
    } else if (contributed == 0) {
      LOG.warn("step {}: no micro-batch had anything to optimise; no update", step + 1);
    } else if (lossScale.isDynamic()) {
      LOG.info(
          "step {}: non-finite fp16 loss or gradients at loss scale {}; skipped, scale now {}",
          step + 1,
          scale,
          lossScale.scale());
    } else if (finite) {
      LOG.warn(
          "step {}: non-finite gradient norm ({}; in {}); skipping the update",
          step + 1,
          norm,
          nonFiniteGradients());
    } else {
      LOG.warn("step {}: non-finite loss ({}); skipping the update", step + 1, losses.total());
    }
    weights.clearGradients();
    if (parallel != null) {
      parallel.afterStep(step + 1, !skipped);
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    return new StepMetrics(
        step + 1,
        finite ? StepMetrics.finiteOrNull(losses.total()) : null,
        finite ? StepMetrics.finiteOrNull(losses.lm()) : null,
        finite ? StepMetrics.finiteOrNull(losses.contrastive()) : null,
        lr,
        StepMetrics.finiteOrNull(norm),
        losses.meanRationaleTokens(),
        losses.generationNanos() / 1e9,
        losses.forwardBackwardNanos() / 1e9,
        seconds,
        rows / seconds,
        lmOnly,
        skipped);
  }

  /** Names of the weights whose gradient has a NaN or infinity (for the warning). */
  private List<String> nonFiniteGradients() {
    List<String> names = new ArrayList<>();
    try (NDManager scope = model.manager().newSubManager()) {
      for (ModelWeight w : weights.compute()) {
        NDArray g = w.value().getGradient();
        g.attach(scope);
        if (!g.isNaN().any().getBoolean() && !g.isInfinite().any().getBoolean()) {
          continue;
        }
        names.add(w.name());
      }
    }
    return names;
  }

  /** A well-mixed 31-bit engine seed for each (seed, step) (SplitMix64's finaliser). */
  static int stepSeed(long seed, long step) {
    long z = seed + 0x9E3779B97F4A7C15L * (step + 1);
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    z ^= z >>> 31;
    return (int) (z & 0x7fffffff);
  }
}
