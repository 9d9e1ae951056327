package io.rge.training.objective;

import ai.djl.ndarray.NDArray;
import io.rge.core.generation.GenerationSettings;
import io.rge.core.generation.GenerationSettings.Batching;
import io.rge.core.qwen25vl.Scalars;

/**
 * The joint objective's knobs: {@code total = lmWeight · LM + contrastiveWeight · InfoNCE(τ =
 * temperature)}, and how the contrastive queries get their rationales.
 *
 * @param mode rge, baseline or oracle-leak
 * @param lmWeight weight of the LM term (1 in the paper)
 * @param contrastiveWeight weight of the InfoNCE term (10 in the paper); 0 skips generation and the
 *     contrastive pass entirely (an LM-only warm-up step)
 * @param temperature InfoNCE temperature τ (0.02)
 * @param maxNewTokens rationale length limit when generating on the fly
 * @param hardNegatives whether examples' hard negatives join the candidate set
 * @param generationBatchSize rows generated together
 * @param generationBatching continuous (a finished row's slot takes the next query) or static (the
 *     batch runs to its longest rationale): the same generator either way, as a benchmark compares
 */
public record ObjectiveSettings(
    ObjectiveMode mode,
    double lmWeight,
    double contrastiveWeight,
    double temperature,
    int maxNewTokens,
    boolean hardNegatives,
    int generationBatchSize,
    Batching generationBatching) {

  public ObjectiveSettings {
    if (mode == null) {
      throw new IllegalArgumentException("mode is required");
    }
    if (!(lmWeight >= 0) || !(contrastiveWeight >= 0)) {
      throw new IllegalArgumentException(
          "loss weights must be >= 0, got lm " + lmWeight + ", contrastive " + contrastiveWeight);
    }
    if (!(temperature > 0)) {
      throw new IllegalArgumentException("temperature must be > 0, got " + temperature);
    }
    if (maxNewTokens < 0) {
      throw new IllegalArgumentException("max_new_tokens must be >= 0, got " + maxNewTokens);
    }
    if (generationBatchSize <= 0) {
      throw new IllegalArgumentException(
          "generation batch size must be > 0, got " + generationBatchSize);
    }
    if (generationBatching == null) {
      throw new IllegalArgumentException("generation batching is required");
    }
  }

  /** How the contrastive queries' rationales are generated: greedy, as RGE trains. */
  public GenerationSettings generation() {
    return GenerationSettings.greedy(maxNewTokens, generationBatchSize)
        .withBatching(generationBatching);
  }

  /**
   * The paper's defaults: w_lm 1, w_cl 10, τ 0.02, 128 new tokens, hard negatives; continuous
   * generation.
   */
  public static ObjectiveSettings paper(ObjectiveMode mode) {
    return new ObjectiveSettings(mode, 1.0, 10.0, 0.02, 128, true, 16, Batching.CONTINUOUS);
  }

  /**
   * The loss formula, {@code total = w_lm · LM + w_cl · InfoNCE}, over the terms that ran (null: a
   * term that did not run adds nothing).
   */
  public double total(Double lm, Double contrastive) {
    return (lm == null ? 0 : lmWeight * lm)
        + (contrastive == null ? 0 : contrastiveWeight * contrastive);
  }

  /** {@link #total(Double, Double) The loss formula} on a graph's scalars, to back-propagate. */
  NDArray total(NDArray lm, NDArray contrastive) {
    NDArray total = lm == null ? null : lm.mul(Scalars.constant(lm.getManager(), (float) lmWeight));
    if (contrastive != null) {
      NDArray weighted =
          contrastive.mul(Scalars.constant(contrastive.getManager(), (float) contrastiveWeight));
      total = total == null ? weighted : total.add(weighted);
    }
    return total;
  }

  /**
   * LM-only warm-up steps of a run of {@code totalSteps} whose config asks for {@code configured}:
   * none without an LM term (the baseline, or lm_weight 0), where such a step has nothing to
   * optimise.
   */
  public long lmOnlySteps(long configured, long totalSteps) {
    return hasLmTerm() ? Math.min(totalSteps, configured) : 0;
  }

  /** Whether the LM term exists: oracle rationales are learned in every mode but the baseline. */
  public boolean hasLmTerm() {
    return mode != ObjectiveMode.BASELINE && lmWeight > 0;
  }

  /** Whether the contrastive term exists (not in an LM-only warm-up step). */
  public boolean hasContrastiveTerm() {
    return contrastiveWeight > 0;
  }

  /** The same settings with another contrastive weight (0 for an LM-only warm-up step). */
  public ObjectiveSettings withContrastiveWeight(double weight) {
    return new ObjectiveSettings(
        mode,
        lmWeight,
        weight,
        temperature,
        maxNewTokens,
        hardNegatives,
        generationBatchSize,
        generationBatching);
  }
}
