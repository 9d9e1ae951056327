package io.rge.eval;

import io.rge.eval.cache.CacheScope;
import io.rge.eval.cache.Side;
import java.time.Instant;
import java.util.List;

/**
 * What an evaluation has left to embed: per dataset and side, the items its embedding cache lacks,
 * in the order {@link MmebEvaluator#evaluate} embeds them (cut into batches of {@link
 * EmbeddingRecipe#batchSize}). For embedding elsewhere (rge-spark shards it over a cluster) and
 * appending the results to the caches, after which {@code evaluate} finds every embedding cached
 * and only scores: the report is the single-machine one.
 *
 * @param images the image source, as the evaluation opens it
 * @param recipe how each side is embedded
 * @param dimension size of every embedding
 * @param pending one entry per dataset and side with items left, in evaluation order
 * @param listed when the list was made: the start of a run that embeds it elsewhere
 */
public record EvalWork(
    ImageSource images,
    EmbeddingRecipe recipe,
    int dimension,
    List<Pending> pending,
    Instant listed) {

  /**
   * @param dataset the dataset
   * @param scope the cache the embeddings go to
   * @param items the items left, in embedding order
   */
  public record Pending(String dataset, CacheScope scope, List<EvalItem> items) {
    public Side side() {
      return scope.side();
    }

    /** The dataset and side, e.g. "MSCOCO_t2i queries", as errors and logs name them. */
    public String label() {
      return dataset + (side() == Side.QUERIES ? " queries" : " candidates");
    }
  }

  /** Items left over every dataset and side. */
  public int items() {
    return pending.stream().mapToInt(p -> p.items().size()).sum();
  }
}
