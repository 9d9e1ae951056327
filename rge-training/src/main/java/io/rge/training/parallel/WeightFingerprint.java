package io.rge.training.parallel;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import io.rge.core.RgeModel;
import io.rge.core.qwen25vl.ModelWeight;
import java.util.ArrayList;
import java.util.List;

/**
 * A cheap fingerprint of a model's weights: per weight array, the sum of {@value #SAMPLES} elements
 * taken at an even stride (the first always among them), read back in one transfer. Replicas hold
 * bit-identical copies, so their fingerprints are equal; a replica that missed updates or was
 * written to differs in nearly every element and so in its sums. A single changed element off the
 * stride goes unseen — the price of reading 16 numbers per weight rather than the model.
 *
 * @param names the weights' names, in the model's order (adapters last)
 * @param sums one sampled sum per weight
 */
record WeightFingerprint(List<String> names, float[] sums) {
  static final int SAMPLES = 16;

  static WeightFingerprint of(RgeModel model) {
    List<ModelWeight> weights = new ArrayList<>(model.network().weights().all());
    model.adapters().ifPresent(a -> weights.addAll(a.weights()));
    try (NDManager scope = model.manager().newSubManager()) {
      NDList sums = new NDList(weights.size());
      for (ModelWeight w : weights) {
        NDArray flat = w.value().reshape(-1);
        flat.attach(scope);
        long stride = Math.max(1, flat.size() / SAMPLES);
        NDArray sampled = flat.get(new NDIndex("::{}", stride)); // [≈16]
        sums.add(sampled.sum());
      }
      float[] values = NDArrays.stack(sums).toFloatArray();
      return new WeightFingerprint(weights.stream().map(ModelWeight::name).toList(), values);
    }
  }

  /** The first weight whose sampled sum differs from {@code other}'s, described; null if none. */
  String firstDifference(WeightFingerprint other) {
    if (!names.equals(other.names)) {
      return "the weights differ in names or order";
    }
    for (int i = 0; i < sums.length; i++) {
      if (Float.floatToIntBits(sums[i]) != Float.floatToIntBits(other.sums[i])) {
        return "weight " + names.get(i) + " (sampled sum " + sums[i] + " vs " + other.sums[i] + ")";
      }
    }
    return null;
  }
}
