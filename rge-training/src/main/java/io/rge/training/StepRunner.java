package io.rge.training;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.rge.core.RgeModel;
import io.rge.core.qwen25vl.ModelWeight;
import io.rge.core.qwen25vl.ModelWeights;
import io.rge.data.mmeb.TrainRow;
import io.rge.training.data.ExampleFactory;
import io.rge.training.metrics.StepMetrics;
import io.rge.training.objective.ObjectiveSettings;
import io.rge.training.objective.RgeObjective;
import io.rge.training.objective.StepLosses;
import io.rge.training.optim.AdamW;
import io.rge.training.optim.GradientNorm;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One optimizer step: the objective over each micro-batch (gradients accumulated with loss scale
 * 1/k), one global gradient norm, then either an AdamW update with clipping or — when a loss or the
 * norm is not finite — no update at all. Gradients are cleared either way.
 */
final class StepRunner {
  private static final Logger LOG = LoggerFactory.getLogger(StepRunner.class);

  private final RgeModel model;
  private final ModelWeights weights;
  private final List<ModelWeight> trainable;
  private final RgeObjective objective;
  private final ExampleFactory examples;
  private final AdamW optimizer;
  private final ObjectiveSettings settings;
  private final long lmWarmupSteps;
  private final double maxGradNorm;
  private final long seed;
  private final TrainerHooks hooks;

  StepRunner(
      RgeModel model,
      ExampleFactory examples,
      AdamW optimizer,
      ObjectiveSettings settings,
      long lmWarmupSteps,
      double maxGradNorm,
      long seed,
      TrainerHooks hooks) {
    this.model = model;
    this.weights = model.network().weights();
    this.trainable = weights.trainable();
    this.objective = new RgeObjective(model);
    this.examples = examples;
    this.optimizer = optimizer;
    this.settings = settings;
    // Without an LM term (the baseline, or lm_weight 0) an LM-only step has nothing to optimise.
    this.lmWarmupSteps = settings.hasLmTerm() ? lmWarmupSteps : 0;
    this.maxGradNorm = maxGradNorm;
    this.seed = seed;
    this.hooks = hooks;
  }

  boolean isLmOnly(long step) {
    return step < lmWarmupSteps;
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
    double scale = 1.0 / microBatches.size();
    Mean total = new Mean();
    Mean lm = new Mean();
    Mean contrastive = new Mean();
    Mean rationale = new Mean();
    long generation = 0;
    long forwardBackward = 0;
    int rows = 0;
    int contributed = 0;
    boolean finite = true;
    double badLoss = Double.NaN;
    for (List<TrainRow> batch : microBatches) {
      rows += batch.size();
      // Checked on the rows, before their images are decoded for nothing.
      if (lmOnly && batch.stream().allMatch(r -> r.rationale() == null)) {
        LOG.debug("step {}: a micro-batch without oracle rationales has no LM-only loss", step + 1);
        continue;
      }
      StepLosses losses = objective.accumulateGradients(examples.toExamples(batch), s, scale);
      hooks.afterBackward(step, model);
      generation += losses.generationNanos();
      forwardBackward += losses.forwardBackwardNanos();
      contributed++;
      if (!losses.isFinite()) {
        finite = false;
        badLoss = losses.total();
        break;
      }
      total.add(losses.total());
      lm.add(losses.lm());
      contrastive.add(losses.contrastive());
      rationale.add(losses.meanRationaleTokens());
    }
    double norm =
        finite && contributed > 0 ? GradientNorm.global(trainable, model.manager()) : Double.NaN;
    boolean skipped = !finite || !Double.isFinite(norm) || contributed == 0;
    if (!skipped) {
      optimizer.step(lr, GradientNorm.clipScale(norm, maxGradNorm));
    } else if (contributed == 0) {
      LOG.warn("step {}: no micro-batch had anything to optimise; no update", step + 1);
    } else if (finite) {
      LOG.warn(
          "step {}: non-finite gradient norm ({}; in {}); skipping the update",
          step + 1,
          norm,
          nonFiniteGradients());
    } else {
      LOG.warn("step {}: non-finite loss ({}); skipping the update", step + 1, badLoss);
    }
    weights.zeroGradients();
    double seconds = (System.nanoTime() - start) / 1e9;
    return new StepMetrics(
        step + 1,
        finite ? StepMetrics.finiteOrNull(total.value()) : null,
        finite ? StepMetrics.finiteOrNull(lm.value()) : null,
        finite ? StepMetrics.finiteOrNull(contrastive.value()) : null,
        lr,
        StepMetrics.finiteOrNull(norm),
        Double.isNaN(rationale.value()) ? 0 : rationale.value(),
        generation / 1e9,
        forwardBackward / 1e9,
        seconds,
        rows / seconds,
        lmOnly,
        skipped);
  }

  /** Names of the weights whose gradient has a NaN or infinity (for the warning). */
  private List<String> nonFiniteGradients() {
    List<String> names = new ArrayList<>();
    try (NDManager scope = model.manager().newSubManager()) {
      for (ModelWeight w : trainable) {
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

  /** Mean of the defined (non-NaN) values added. */
  private static final class Mean {
    private double sum;
    private int count;

    void add(double value) {
      if (!Double.isNaN(value)) {
        sum += value;
        count++;
      }
    }

    double value() {
      return count == 0 ? Double.NaN : sum / count;
    }
  }
}
