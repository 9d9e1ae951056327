package io.rge.eval;

import io.rge.core.MultimodalInput;
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

  /** Embeds one batch of {@code side}'s inputs: one embedding per input, in order. */
  List<CachedEmbedding> embed(Embedder embedder, Side side, List<MultimodalInput> inputs) {
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
   * Embeds one batch of items (at most {@link #batchSize}) as the evaluation does: images loaded
   * from {@code images}, every vector checked to be finite; {@code label} names the dataset side in
   * errors.
   */
  public List<CachedEmbedding> embedItems(
      Embedder embedder, Side side, List<EvalItem> items, ImageStore images, String label) {
    List<MultimodalInput> inputs = items.stream().map(i -> i.input(images, label)).toList();
    List<CachedEmbedding> out = embed(embedder, side, inputs);
    EmbeddingPass.requireFinite(label, items, out);
    return out;
  }
}
