package io.rge.eval;

import io.rge.core.Cosine;
import io.rge.data.images.ImageStore;
import io.rge.data.registry.DatasetInfo;
import io.rge.eval.cache.CacheScope;
import io.rge.eval.cache.CachedEmbedding;
import io.rge.eval.cache.EmbeddingCache;
import io.rge.eval.cache.Side;
import io.rge.eval.report.DatasetRunInfo;
import io.rge.eval.report.Prediction;
import io.rge.eval.score.DatasetScore;
import io.rge.eval.score.RowOutcome;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One dataset of an evaluation: plan its rows, embed the distinct candidates and queries the cache
 * lacks (candidates first, then queries, each call's batches cached as it finishes), score every
 * row.
 */
final class DatasetEvaluation {
  private static final Logger LOG = LoggerFactory.getLogger(DatasetEvaluation.class);

  private final Embedder embedder;
  private final EvalSettings settings;
  private final EmbeddingRecipe recipe;
  private final String modelKey;
  private final ImageStore images;
  private DatasetScore score;
  private DatasetRunInfo info;
  private final List<Prediction> predictions = new ArrayList<>();

  private final Map<CacheScope, Integer> embeddedElsewhere;

  /**
   * @param embeddedElsewhere items per cache that another process embedded for this run (counted as
   *     embedded, not cached)
   */
  DatasetEvaluation(
      Embedder embedder,
      EvalSettings settings,
      String modelKey,
      ImageStore images,
      Map<CacheScope, Integer> embeddedElsewhere) {
    this.embedder = embedder;
    this.embeddedElsewhere = embeddedElsewhere;
    this.settings = settings;
    this.recipe = EmbeddingRecipe.of(settings);
    this.modelKey = modelKey;
    this.images = images;
  }

  /** Plans the dataset's rows, embeds what the cache lacks, scores every row and records it. */
  DatasetEvaluation run(Path root, DatasetInfo dataset) throws IOException {
    long start = System.nanoTime();
    String name = dataset.name();
    DatasetPlan plan =
        DatasetPlanner.plan(root, name, settings.prompts(), images, settings.missingImages());
    if (plan.skippedRows() > 0) {
      LOG.warn(
          "{}: skipped {} of {} rows with {} missing images",
          name,
          plan.skippedRows(),
          plan.totalRows(),
          plan.missingImages());
    }
    EmbeddingPass.Result candidates = embedCandidates(name, plan);
    EmbeddingPass.Result queries = embedQueries(name, plan);
    long correct = score(name, plan, queries.embeddings(), candidates.embeddings());
    record(dataset, plan, candidates, queries, correct, (System.nanoTime() - start) / 1e9);
    return this;
  }

  /** The distinct candidates, from the cache or embedded (prompt + {@code <emb>}). */
  private EmbeddingPass.Result embedCandidates(String name, DatasetPlan plan) throws IOException {
    return embed(
        name,
        Side.CANDIDATES,
        plan.candidates(),
        CacheScope.candidates(modelKey, name, settings.prompts().id()));
  }

  /** The distinct queries, from the cache or embedded (after their rationale when reasoning). */
  private EmbeddingPass.Result embedQueries(String name, DatasetPlan plan) throws IOException {
    return embed(
        name,
        Side.QUERIES,
        plan.queries(),
        CacheScope.queries(
            modelKey,
            name,
            settings.prompts().id(),
            settings.reasoning(),
            settings.maxNewTokens()));
  }

  /** One side's items, as {@link #recipe} embeds that side, through the cache of {@code scope}. */
  private EmbeddingPass.Result embed(String name, Side side, List<EvalItem> items, CacheScope scope)
      throws IOException {
    String unit = side == Side.QUERIES ? "queries" : "candidates";
    return counted(
        scope,
        EmbeddingPass.run(
            items,
            EmbeddingCache.open(settings.cacheDir(), scope, embedder.dimension()),
            images,
            recipe.batchSize(side),
            recipe.batchesPerCall(side),
            input -> recipe.prepare(embedder, side, input),
            inputs -> recipe.embed(embedder, side, inputs),
            name + " " + unit,
            unit,
            settings.progress()));
  }

  /**
   * {@code result} with the items embedded elsewhere for this run moved from cached to embedded.
   */
  private EmbeddingPass.Result counted(CacheScope scope, EmbeddingPass.Result result) {
    int elsewhere = Math.min(result.cached(), embeddedElsewhere.getOrDefault(scope, 0));
    return new EmbeddingPass.Result(
        result.embeddings(), result.embedded() + elsewhere, result.cached() - elsewhere);
  }

  /**
   * Scores every row by cosine similarity (each candidate's norm computed once) and keeps its
   * prediction.
   *
   * @return the rows whose first candidate wins
   */
  private long score(
      String name, DatasetPlan plan, List<CachedEmbedding> queries, List<CachedEmbedding> cands) {
    long correct = 0;
    double[] candNorms = new double[cands.size()];
    for (int i = 0; i < candNorms.length; i++) {
      candNorms[i] = Cosine.norm(cands.get(i).vector());
    }
    for (PlannedRow row : plan.rows()) {
      CachedEmbedding q = queries.get(row.query());
      float[] qv = q.vector();
      double qn = Cosine.norm(qv);
      double[] scores = new double[row.candidates().length];
      for (int i = 0; i < scores.length; i++) {
        int c = row.candidates()[i];
        scores[i] = Cosine.similarity(qv, qn, cands.get(c).vector(), candNorms[c]);
      }
      RowOutcome outcome = RowOutcome.of(scores);
      correct += outcome.correct() ? 1 : 0;
      predictions.add(
          new Prediction(
              name,
              row.row(),
              outcome.predicted(),
              outcome.correct(),
              outcome.tie(),
              outcome.candidates() > 1 ? outcome.margin() : null,
              outcome.candidates(),
              q.rationale(),
              q.embAppended(),
              Prediction.top(scores)));
    }
    return correct;
  }

  /** The dataset's score and run information, and one log line. */
  private void record(
      DatasetInfo dataset,
      DatasetPlan plan,
      EmbeddingPass.Result candidates,
      EmbeddingPass.Result queries,
      long correct,
      double seconds)
      throws IOException {
    long ties = predictions.stream().filter(Prediction::tie).count();
    score =
        new DatasetScore(
            dataset.name(),
            dataset.metaTask(),
            dataset.distribution(),
            plan.rows().size(),
            correct,
            ties,
            plan.skippedRows(),
            plan.missingImages());
    int appended = 0;
    for (CachedEmbedding q : queries.embeddings()) {
      appended += q.embAppended() ? 1 : 0;
    }
    info =
        new DatasetRunInfo(
            fingerprint(plan.files()),
            plan.totalRows(),
            plan.queries().size(),
            queries.embedded(),
            queries.cached(),
            plan.candidates().size(),
            candidates.embedded(),
            candidates.cached(),
            appended,
            seconds);
    LOG.info(
        "{}: P@1 {} ({}/{} correct, {} ties, {} rows skipped) in {} s",
        dataset.name(),
        score.scored() ? String.format(Locale.ROOT, "%.2f", score.precisionAt1()) : "-",
        correct,
        plan.rows().size(),
        ties,
        plan.skippedRows(),
        String.format(Locale.ROOT, "%.1f", seconds));
  }

  DatasetScore score() {
    return score;
  }

  DatasetRunInfo info() {
    return info;
  }

  List<Prediction> predictions() {
    return predictions;
  }

  /** SHA-256 over a dataset's parquet files: each file's name, then its bytes. */
  private static String fingerprint(List<Path> files) throws IOException {
    MessageDigest digest;
    try {
      digest = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
    byte[] buffer = new byte[1 << 16];
    for (Path file : files) {
      digest.update(file.getFileName().toString().getBytes(StandardCharsets.UTF_8));
      digest.update((byte) 0);
      try (InputStream in = new DigestInputStream(Files.newInputStream(file), digest)) {
        while (in.read(buffer) != -1) {
          // the digest stream accumulates
        }
      }
    }
    return HexFormat.of().formatHex(digest.digest());
  }
}
