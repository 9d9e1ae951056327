package io.rge.cli.quickstart;

import io.rge.training.objective.ObjectiveMode;
import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * rge against the baseline to beat, overall P@1, means over seeds. With {@code --pretrained} the
 * plan has two baselines (from the whole pretrained model, and from its vision tower alone); the
 * one to beat is the one that scores best on seen compositions. It is chosen on the seen split,
 * never on held-out compositions, and rge is measured against it on both splits.
 *
 * @param baseline the baseline to beat
 * @param heldOutGain rge minus that baseline on held-out compositions
 * @param seenDifference rge minus that baseline on seen compositions
 * @param baselines how many baselines the plan has (the one to beat among them)
 */
record BaselineComparison(
    Variant baseline, double heldOutGain, double seenDifference, int baselines) {

  /**
   * Picks the baseline to beat and measures rge against it.
   *
   * @param variants the plan's variants, in report order (an earlier baseline wins a tie)
   * @param heldOut a variant's overall P@1 on held-out compositions, mean over seeds
   * @param seen a variant's overall P@1 on seen compositions, mean over seeds
   * @throws IllegalArgumentException when the plan has no rge or no baseline trained on its own
   */
  static BaselineComparison of(
      List<Variant> variants, ToDoubleFunction<Variant> heldOut, ToDoubleFunction<Variant> seen) {
    if (!variants.contains(Variant.RGE)) {
      throw new IllegalArgumentException("no rge among the variants " + ids(variants));
    }
    // The 0 : 1 ablation continues from rge's warm-up: a row of the sweep, not a baseline to beat.
    List<Variant> baselines =
        variants.stream()
            .filter(v -> v.mode() == ObjectiveMode.BASELINE && v.trains() && !v.fromWarmup())
            .toList();
    if (baselines.isEmpty()) {
      throw new IllegalArgumentException("no baseline among the variants " + ids(variants));
    }
    Variant best = baselines.get(0);
    for (Variant v : baselines) {
      if (seen.applyAsDouble(v) > seen.applyAsDouble(best)) {
        best = v;
      }
    }
    return new BaselineComparison(
        best,
        heldOut.applyAsDouble(Variant.RGE) - heldOut.applyAsDouble(best),
        seen.applyAsDouble(Variant.RGE) - seen.applyAsDouble(best),
        baselines.size());
  }

  private static List<String> ids(List<Variant> variants) {
    return variants.stream().map(Variant::id).toList();
  }
}
