package io.rge.training.objective;

/**
 * How the two terms combine: {@code total = lm · LM + contrastive · InfoNCE(τ = temperature)}.
 *
 * @param lm weight of the LM term (1 in the paper)
 * @param contrastive weight of the InfoNCE term (10 in the paper)
 * @param temperature InfoNCE temperature τ (0.02)
 */
public record LossWeights(double lm, double contrastive, double temperature) {
  public LossWeights {
    if (!(lm >= 0) || !(contrastive >= 0)) {
      throw new IllegalArgumentException(
          "loss weights must be >= 0, got lm " + lm + ", contrastive " + contrastive);
    }
    if (!(temperature > 0)) {
      throw new IllegalArgumentException("temperature must be > 0, got " + temperature);
    }
  }

  /** The paper's 1 : 10 at τ = 0.02. */
  public static LossWeights paper() {
    return new LossWeights(1, 10, 0.02);
  }
}
