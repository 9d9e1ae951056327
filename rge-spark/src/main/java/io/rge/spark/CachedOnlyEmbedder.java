package io.rge.spark;

import io.rge.core.MultimodalInput;
import io.rge.core.PreparedInput;
import io.rge.core.QueryEmbedding;
import io.rge.core.generation.GenerationSettings;
import io.rge.eval.Embedder;
import java.util.List;

/**
 * The driver's stand-in for the executors' model: it names the model (fingerprint, cache key) so
 * that the evaluator finds the embeddings the executors computed, and refuses to embed, since by
 * then every embedding is in the cache.
 */
final class CachedOnlyEmbedder implements Embedder {
  private final ModelIdentity model;

  CachedOnlyEmbedder(ModelIdentity model) {
    this.model = model;
  }

  @Override
  public int dimension() {
    return model.dimension();
  }

  @Override
  public String fingerprint() {
    return model.fingerprint();
  }

  @Override
  public String cacheKey() {
    return model.cacheKey();
  }

  @Override
  public String device() {
    return model.device() + " (Spark executors)";
  }

  @Override
  public PreparedInput prepareCandidate(MultimodalInput input) {
    throw missing("a candidate");
  }

  @Override
  public PreparedInput prepareQuery(MultimodalInput input, boolean reasoning) {
    throw missing("a query");
  }

  @Override
  public List<float[]> embedCandidates(List<PreparedInput> inputs, int batchSize) {
    throw missing(inputs.size() + " candidates");
  }

  @Override
  public List<QueryEmbedding> embedQueries(
      List<PreparedInput> inputs, boolean reasoning, GenerationSettings generation) {
    throw missing(inputs.size() + " queries");
  }

  private static IllegalStateException missing(String what) {
    return new IllegalStateException(
        what
            + ": not in the embedding cache after the Spark pass; was the cache folder changed"
            + " while the evaluation ran?");
  }
}
