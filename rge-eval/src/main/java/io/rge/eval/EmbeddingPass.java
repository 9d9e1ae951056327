package io.rge.eval;

import io.rge.core.MultimodalInput;
import io.rge.core.NonFinite;
import io.rge.core.PreparedInput;
import io.rge.core.progress.ProgressListener;
import io.rge.data.images.ImageStore;
import io.rge.eval.cache.CachedEmbedding;
import io.rge.eval.cache.EmbeddingCache;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Function;

/**
 * Embeds the items of one side of a dataset that the cache lacks, a few batches per embedder call,
 * appending each call's embeddings to the cache as soon as it is done: an interrupted pass resumes
 * after its last finished call.
 */
final class EmbeddingPass {
  /** Embeds the inputs of one call. */
  @FunctionalInterface
  interface BatchEmbedder {
    List<CachedEmbedding> embed(List<PreparedInput> inputs);
  }

  /**
   * @param embeddings one per item, in item order
   * @param embedded items embedded in this pass
   * @param cached items found in the cache
   */
  record Result(List<CachedEmbedding> embeddings, int embedded, int cached) {}

  /**
   * Batches whose inputs are read and prepared ahead of the model (bounded memory), rounded to
   * whole calls, at least one: a call of several generation batches outlasts the preparation of the
   * next.
   */
  static final int BATCHES_AHEAD = 2;

  /**
   * Cache batches per generation call for queries with reasoning: continuous batching refills a
   * finished row's slot from the call's queries, so one batch per call would leave it nothing to
   * refill from and every call would end on its longest rationale. Eight batches keep the slots
   * full for all but the call's last rationales; an interruption loses at most eight batches.
   */
  static final int QUERY_BATCHES_PER_CALL = 8;

  private EmbeddingPass() {}

  /**
   * @param batchesPerCall cache batches of {@code batchSize} items given to one embedder call
   * @param prepare the model-free work on one input, done ahead of the model
   * @param label progress bar name, e.g. "ImageNet-1K queries"
   * @param unit what an item is, for the rate (e.g. "queries")
   */
  static Result run(
      List<EvalItem> items,
      EmbeddingCache cache,
      ImageStore images,
      int batchSize,
      int batchesPerCall,
      Function<MultimodalInput, PreparedInput> prepare,
      BatchEmbedder embedder,
      String label,
      String unit,
      ProgressListener progress) {
    List<String> keys = new ArrayList<>(items.size());
    List<Integer> todo = new ArrayList<>();
    for (int i = 0; i < items.size(); i++) {
      String key = items.get(i).key();
      keys.add(key);
      if (!cache.contains(key)) {
        todo.add(i);
      }
    }
    // Similar inputs together: less padding per batch. Stable, so the batches are reproducible.
    todo.sort(
        Comparator.comparing((Integer i) -> items.get(i).imagePath() != null)
            .thenComparingInt(i -> items.get(i).text().length()));
    List<List<Integer>> calls = new ArrayList<>();
    List<List<EvalItem>> callItems = new ArrayList<>();
    int perCall = batchSize * batchesPerCall;
    for (int start = 0; start < todo.size(); start += perCall) {
      List<Integer> call = todo.subList(start, Math.min(todo.size(), start + perCall));
      calls.add(call);
      callItems.add(call.stream().map(items::get).toList());
    }
    try (ProgressListener.Task bar =
            todo.isEmpty()
                ? ProgressListener.Task.NONE
                : progress.start(label, unit, todo.size(), 0);
        InputPipeline pipeline =
            new InputPipeline(
                callItems, images, label, Math.max(1, BATCHES_AHEAD / batchesPerCall), prepare)) {
      for (List<Integer> call : calls) {
        List<PreparedInput> inputs = pipeline.next();
        List<CachedEmbedding> out = embedder.embed(inputs);
        if (out.size() != inputs.size()) {
          throw new IllegalStateException(
              "embedder returned " + out.size() + " embeddings for " + inputs.size() + " inputs");
        }
        for (int k = 0; k < out.size(); k++) {
          float[] vector = out.get(k).vector();
          int bad = NonFinite.firstIndex(vector);
          if (bad >= 0) {
            EvalItem item = items.get(call.get(k));
            throw new IllegalStateException(
                label
                    + ": the model's embedding of \""
                    + item.text()
                    + "\""
                    + (item.imagePath() == null ? "" : " with image " + item.imagePath())
                    + " holds "
                    + NonFinite.describe(vector, bad)
                    + "; the model's weights or settings are broken (the batch was not cached)");
          }
        }
        List<String> callKeys = new ArrayList<>(call.size());
        for (int i : call) {
          callKeys.add(keys.get(i));
        }
        cache.append(callKeys, out);
        bar.stepBy(call.size());
      }
    }
    List<CachedEmbedding> all = new ArrayList<>(items.size());
    for (String key : keys) {
      all.add(cache.get(key).orElseThrow());
    }
    return new Result(all, todo.size(), items.size() - todo.size());
  }

  static MultimodalInput input(EvalItem item, ImageStore images, String label) {
    if (item.imagePath() == null) {
      return MultimodalInput.text(item.text());
    }
    BufferedImage image;
    try {
      image = images.load(item.imagePath());
    } catch (RuntimeException e) {
      throw new IllegalStateException(
          label + ": cannot load image " + item.imagePath() + ": " + e.getMessage(), e);
    }
    return new MultimodalInput(item.text(), image);
  }
}
