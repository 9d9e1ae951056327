package io.rge.spark;

import io.rge.core.RgeModel;
import io.rge.eval.Embedder;
import java.io.Serializable;

/**
 * What the driver needs to know of the executors' model without loading it: the keys its caches and
 * report use, its embedding size and where it runs.
 */
record ModelIdentity(String fingerprint, String cacheKey, int dimension, String device)
    implements Serializable {
  static ModelIdentity of(RgeModel model) {
    Embedder embedder = Embedder.of(model);
    return new ModelIdentity(
        embedder.fingerprint(), embedder.cacheKey(), embedder.dimension(), embedder.device());
  }
}
