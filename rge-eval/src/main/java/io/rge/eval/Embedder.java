package io.rge.eval;

import io.rge.core.MultimodalInput;
import io.rge.core.PreparedInput;
import io.rge.core.QueryEmbedding;
import io.rge.core.RgeModel;
import io.rge.core.generation.GenerationSettings;
import java.util.List;

/**
 * What evaluation needs from a model: embeddings of candidates and queries, and keys that identify
 * the function it computes. {@link #of(RgeModel)} adapts an {@link RgeModel}; other implementations
 * can wrap one (to count or meter calls) or stand in for it.
 */
public interface Embedder {
  /** Size of every embedding. */
  int dimension();

  /** The model's fingerprint, as the report records it. */
  String fingerprint();

  /**
   * A lowercase hex key that changes whenever the embeddings could: weights, config, tokenizer and
   * image preprocessing. Caches are keyed on it.
   */
  String cacheKey();

  /**
   * A candidate made ready for {@link #embedCandidates}: the work that needs no model (image
   * resizing, tokenising). Evaluation calls it on a background thread, ahead of the model, so it
   * must be safe to call while the model embeds.
   */
  PreparedInput prepareCandidate(MultimodalInput input);

  /** A query made ready for {@link #embedQueries} with {@code reasoning}; see above. */
  PreparedInput prepareQuery(MultimodalInput input, boolean reasoning);

  /**
   * Embeds candidates (prompt + {@code <emb>}), {@code batchSize} per forward pass.
   *
   * @return one vector [dimension] per input, in order
   */
  List<float[]> embedCandidates(List<PreparedInput> inputs, int batchSize);

  /**
   * Embeds queries, {@code generation.batchSize()} at a time: with {@code reasoning}, each
   * generates a rationale first, as {@code generation} says (token limit, decoding). Generation
   * refills a finished row's slot with the next input, so a call with several batches' worth of
   * queries keeps every slot busy for longer.
   */
  List<QueryEmbedding> embedQueries(
      List<PreparedInput> inputs, boolean reasoning, GenerationSettings generation);

  /** Where the model runs, for the report. */
  default String device() {
    return "unknown";
  }

  /** An embedder backed by {@code model}; the caller keeps ownership of the model. */
  static Embedder of(RgeModel model) {
    return new ModelEmbedder(model);
  }
}
