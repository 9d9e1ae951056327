package io.rge.eval;

import io.rge.core.MultimodalInput;
import io.rge.core.PreparedInput;
import io.rge.core.generation.GenerationSettings;
import io.rge.data.images.ImageStore;
import io.rge.eval.cache.CachedEmbedding;
import io.rge.eval.cache.Side;
import java.io.Serializable;
import java.util.List;

/**
 * How an evaluation embeds each side: queries after a rationale (with reasoning) in batches of
 * {@code queryBatchSize}, candidates as prompt + {@code <emb>} in batches of {@code
 * candidateBatchSize}. One place for both the single-machine evaluation and distributed ones
 * (serializable: rge-spark ships it to its executors), so that both compute the same embeddings.
 */
public record EmbeddingRecipe(
    boolean reasoning, GenerationSettings generation, int queryBatchSize, int candidateBatchSize)
    implements Serializable {
  /**
   * Cache batches per generation call for queries with reasoning: continuous batching refills a
   * finished row's slot from the call's queries, so one batch per call would leave it nothing to
   * refill from and every call would end on its longest rationale. Eight batches keep the slots
   * full for all but the call's last rationales; an interruption loses at most eight batches.
   */
  public static final int QUERY_BATCHES_PER_CALL = 8;

  static EmbeddingRecipe of(EvalSettings settings) {
    return new EmbeddingRecipe(
        settings.reasoning(),
        settings.generation(),
        settings.queryBatchSize(),
        settings.candidateBatchSize());
  }

  /** Items embedded together on {@code side}. */
  public int batchSize(Side side) {
    return side == Side.QUERIES ? queryBatchSize : candidateBatchSize;
  }

  /**
   * Batches of {@link #batchSize} given to one embedder call on {@code side}: several for queries
   * with reasoning (see {@link #QUERY_BATCHES_PER_CALL}); one otherwise, since candidates gain
   * nothing from more and one batch per call resumes finest.
   */
  public int batchesPerCall(Side side) {
    return side == Side.QUERIES && reasoning ? QUERY_BATCHES_PER_CALL : 1;
  }

  /** The model-free work on one input of {@code side}, done ahead of the model. */
  PreparedInput prepare(Embedder embedder, Side side, MultimodalInput input) {
    return side == Side.CANDIDATES
        ? embedder.prepareCandidate(input)
        : embedder.prepareQuery(input, reasoning);
  }

  /** Embeds one call's prepared inputs of {@code side}: one embedding per input, in order. */
  List<CachedEmbedding> embed(Embedder embedder, Side side, List<PreparedInput> inputs) {
    List<CachedEmbedding> out =
        side == Side.CANDIDATES
            ? embedder.embedCandidates(inputs, candidateBatchSize).stream()
                .map(CachedEmbedding::plain)
                .toList()
            : embedder.embedQueries(inputs, reasoning, generation).stream()
                .map(
                    q ->
                        new CachedEmbedding(
                            q.vector(), q.rationale(), q.rationaleTokens().length, q.embAppended()))
                .toList();
    if (out.size() != inputs.size()) {
      throw new IllegalStateException(
          "embedder returned " + out.size() + " embeddings for " + inputs.size() + " inputs");
    }
    return out;
  }

  /**
   * Embeds one call's items (at most {@link #batchSize} × {@link #batchesPerCall}) as the
   * evaluation does: images loaded from {@code images}, every vector checked to be finite; {@code
   * label} names the dataset side in errors.
   */
  public List<CachedEmbedding> embedItems(
      Embedder embedder, Side side, List<EvalItem> items, ImageStore images, String label) {
    List<PreparedInput> inputs =
        items.stream().map(i -> prepare(embedder, side, i.input(images, label))).toList();
    List<CachedEmbedding> out = embed(embedder, side, inputs);
    EmbeddingPass.requireFinite(label, items, out);
    return out;
  }
}
