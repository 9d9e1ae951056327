package io.rge.spark;

import io.rge.core.files.FolderLock;
import io.rge.data.images.ImageStore;
import io.rge.eval.Embedder;
import io.rge.eval.EmbeddingRecipe;
import io.rge.eval.EvalData;
import io.rge.eval.EvalItem;
import io.rge.eval.EvalReport;
import io.rge.eval.EvalSettings;
import io.rge.eval.EvalWork;
import io.rge.eval.ImageSource;
import io.rge.eval.MmebEvaluator;
import io.rge.eval.cache.CachedEmbedding;
import io.rge.eval.cache.EmbeddingCache;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An MMEB evaluation whose embedding runs on Spark. The driver lists what the caches lack ({@link
 * MmebEvaluator#pending}), cuts each dataset side into blocks of whole batches, has the executors
 * embed the blocks (each with its JVM's shared model), appends the results to the caches, and then
 * runs the single-machine evaluator, which finds everything cached and only scores: the same
 * scoring code, the same {@code scores.json} and {@code report.md}. Blocks go out in waves of a few
 * per core, each wave's results cached as it ends, so an interrupted run resumes after its last
 * finished wave.
 */
final class SparkEvaluation {
  private static final Logger LOG = LoggerFactory.getLogger(SparkEvaluation.class);

  private final SparkSession spark;
  private final ModelKey key;
  private final int blockBatches;

  SparkEvaluation(SparkSession spark, ModelKey key, int blockBatches) {
    if (blockBatches < 1) {
      throw new IllegalArgumentException("batches per block must be >= 1, got " + blockBatches);
    }
    this.spark = spark;
    this.key = key;
    this.blockBatches = blockBatches;
  }

  EvalReport evaluate(EvalData data, EvalSettings settings) throws IOException {
    // The cache folder is this evaluation's until its report is written.
    try (FolderLock lock = MmebEvaluator.lockCaches(settings)) {
      return evaluateHolding(data, settings);
    }
  }

  private EvalReport evaluateHolding(EvalData data, EvalSettings settings) throws IOException {
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    ModelKey model = key;
    // One task loads the model on an executor (where it stays for the blocks) and names it.
    ModelIdentity identity =
        jsc.parallelize(List.of(0), 1)
            .map(x -> ExecutorModels.withModel(model, ModelIdentity::of))
            .collect()
            .get(0);
    MmebEvaluator evaluator = new MmebEvaluator(new CachedOnlyEmbedder(identity));
    EvalWork work = evaluator.pending(data, settings);
    List<EvalBlock> blocks = blocks(work);
    List<EmbeddingCache> caches = new ArrayList<>();
    for (EvalWork.Pending p : work.pending()) {
      caches.add(EmbeddingCache.open(settings.cacheDir(), p.scope(), work.dimension()));
    }
    int wave = Math.max(1, 4 * jsc.defaultParallelism());
    LOG.info(
        "{} items to embed in {} blocks of up to {} batches, {} blocks per Spark job",
        work.items(),
        blocks.size(),
        blockBatches,
        wave);
    ImageSource images = work.images();
    EmbeddingRecipe recipe = work.recipe();
    for (int from = 0; from < blocks.size(); from += wave) {
      List<EvalBlock> some = blocks.subList(from, Math.min(blocks.size(), from + wave));
      List<List<CachedEmbedding>> results =
          jsc.parallelize(new ArrayList<>(some), some.size())
              .map(block -> embed(model, images, recipe, block))
              .collect();
      for (int i = 0; i < some.size(); i++) {
        EvalBlock block = some.get(i);
        caches
            .get(block.pending())
            .append(block.items().stream().map(EvalItem::key).toList(), results.get(i));
      }
      LOG.info("embedded {} of {} blocks", from + some.size(), blocks.size());
    }
    return evaluator.evaluate(data, settings, work);
  }

  /**
   * Each dataset side cut into blocks of about {@code blockBatches} batches, rounded to whole
   * embedder calls (the last block shorter): the calls are then those of the single-machine
   * evaluation, so the same rows share a generation pool and the embeddings are the same.
   */
  private List<EvalBlock> blocks(EvalWork work) {
    List<EvalBlock> blocks = new ArrayList<>();
    for (int p = 0; p < work.pending().size(); p++) {
      EvalWork.Pending pending = work.pending().get(p);
      List<EvalItem> items = pending.items();
      EmbeddingRecipe recipe = work.recipe();
      int perCall = recipe.batchesPerCall(pending.side());
      int size = recipe.batchSize(pending.side()) * perCall * Math.max(1, blockBatches / perCall);
      for (int first = 0; first < items.size(); first += size) {
        List<EvalItem> block =
            new ArrayList<>(items.subList(first, Math.min(items.size(), first + size)));
        blocks.add(new EvalBlock(p, first, pending.side(), pending.label(), block));
      }
    }
    return blocks;
  }

  /** On an executor: the block's embedder calls, in order, with this JVM's model. */
  private static List<CachedEmbedding> embed(
      ModelKey key, ImageSource source, EmbeddingRecipe recipe, EvalBlock block) {
    int batch = recipe.batchSize(block.side()) * recipe.batchesPerCall(block.side());
    List<CachedEmbedding> out = new ArrayList<>(block.items().size());
    try (ImageStore images = source.open()) {
      for (int from = 0; from < block.items().size(); from += batch) {
        List<EvalItem> items =
            block.items().subList(from, Math.min(block.items().size(), from + batch));
        out.addAll(
            ExecutorModels.withModel(
                key,
                m ->
                    recipe.embedItems(Embedder.of(m), block.side(), items, images, block.label())));
      }
    }
    return out;
  }
}
