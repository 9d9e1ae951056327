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
    List<String> keys = items.stream().map(EvalItem::key).toList();
    List<Integer> todo = todo(items, cache);
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
        requireFinite(label, call.stream().map(items::get).toList(), out);
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

  /**
   * The indices of the items the cache lacks, in the order they are embedded (and cut into batches
   * of the batch size): similar inputs together, for less padding per batch; a stable sort, so the
   * batches are reproducible, and the same wherever they are embedded.
   */
  static List<Integer> todo(List<EvalItem> items, EmbeddingCache cache) {
    List<Integer> todo = new ArrayList<>();
    for (int i = 0; i < items.size(); i++) {
      if (!cache.contains(items.get(i).key())) {
        todo.add(i);
      }
    }
    todo.sort(
        Comparator.comparing((Integer i) -> items.get(i).imagePath() != null)
            .thenComparingInt(i -> items.get(i).text().length()));
    return todo;
  }

  /** Fails, naming the item, when an embedding holds a NaN or an infinity. */
  static void requireFinite(String label, List<EvalItem> items, List<CachedEmbedding> out) {
    for (int k = 0; k < out.size(); k++) {
      float[] vector = out.get(k).vector();
      int bad = NonFinite.firstIndex(vector);
      if (bad >= 0) {
        EvalItem item = items.get(k);
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
