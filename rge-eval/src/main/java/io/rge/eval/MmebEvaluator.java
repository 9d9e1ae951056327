package io.rge.eval;

import io.rge.core.MultimodalInput;
import io.rge.core.Provenance;
import io.rge.core.RgeModel;
import io.rge.core.files.AtomicFiles;
import io.rge.core.files.FolderLock;
import io.rge.data.images.ImageStore;
import io.rge.data.mmeb.EvalRow;
import io.rge.data.mmeb.MmebEvalReader;
import io.rge.data.mmeb.ReadOptions;
import io.rge.data.mmeb.RowStream;
import io.rge.eval.cache.CacheScope;
import io.rge.eval.cache.EmbeddingCache;
import io.rge.eval.cache.Side;
import io.rge.eval.report.DatasetRunInfo;
import io.rge.eval.report.EvalProvenance;
import io.rge.eval.report.HtmlReport;
import io.rge.eval.report.Prediction;
import io.rge.eval.report.PredictionsJsonl;
import io.rge.eval.report.ReferenceRows;
import io.rge.eval.report.ReportMarkdown;
import io.rge.eval.report.RunRecord;
import io.rge.eval.report.ScoreChart;
import io.rge.eval.report.ScoresJson;
import io.rge.eval.score.DatasetScore;
import io.rge.eval.score.Scores;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Evaluates a model on MMEB-format data (MMEB-eval itself, or an RGE-Synth eval split) the way
 * VLM2Vec and the RGE paper do: every query is embedded (after generating its rationale, with
 * reasoning), every candidate is embedded without reasoning, each query's own candidates are ranked
 * by cosine similarity, and a row is correct when candidate 0 ranks first (ties: the lower index
 * wins). Precision@1 per dataset, then means per meta-task, IND, OOD and overall over the datasets
 * present.
 *
 * <pre>{@code
 * try (RgeModel model = RgeModel.load(Path.of("models/RGE"), DeviceChoice.AUTO)) {
 *   EvalSettings settings = EvalSettings.builder(Path.of("out")).reasoning(true).build();
 *   EvalReport report =
 *       new MmebEvaluator(model).evaluate(EvalData.mmeb(Path.of("MMEB-eval"), null), settings);
 *   System.out.println(report.scores().overall().cell());
 * }
 * }</pre>
 *
 * <p>Identical (text, image) queries and candidates are embedded once per dataset. Embeddings are
 * cached under {@link EvalSettings#cacheDir()} by model, dataset, prompt set and (for queries)
 * reasoning settings, one batch at a time: an interrupted evaluation resumes after its last
 * finished batch, and a rerun with the same model only scores. Writes {@code scores.json}, {@code
 * report.md}, {@code report.html} (error analysis, self-contained), {@code predictions.jsonl} and
 * {@code scores.png} to the output folder, each atomically.
 */
public final class MmebEvaluator {
  private static final Logger LOG = LoggerFactory.getLogger(MmebEvaluator.class);

  public static final String SCORES_FILE = "scores.json";
  public static final String REPORT_FILE = "report.md";
  public static final String PREDICTIONS_FILE = "predictions.jsonl";
  public static final String CHART_FILE = "scores.png";
  public static final String HTML_FILE = "report.html";

  private final Embedder embedder;

  /** Evaluates {@code model}; the caller keeps ownership of it. */
  public MmebEvaluator(RgeModel model) {
    this(Embedder.of(model));
  }

  public MmebEvaluator(Embedder embedder) {
    this.embedder = embedder;
  }

  /**
   * Evaluates the selected datasets of {@code data} and writes the outputs.
   *
   * @throws IllegalArgumentException when a selected dataset is not in the registry
   * @throws IOException when the outputs cannot be written
   */
  public EvalReport evaluate(EvalData data, EvalSettings settings) throws IOException {
    return evaluate(data, settings, null);
  }

  /**
   * As {@link #evaluate(EvalData, EvalSettings)}, after {@code done} (from {@link #pending}) was
   * embedded elsewhere and appended to the caches: the report counts its items as embedded by this
   * run, not as found cached, and the run as started when the work was listed.
   */
  public EvalReport evaluate(EvalData data, EvalSettings settings, EvalWork done)
      throws IOException {
    if (done != null) {
      return evaluateHolding(data, settings, done); // whoever embedded done holds the caches
    }
    // The cache folder is this evaluation's until it ends: two would embed the same items twice.
    try (FolderLock lock = lockCaches(settings)) {
      return evaluateHolding(data, settings, null);
    }
  }

  /**
   * Claims {@code settings}' cache folder for an evaluation ({@link FolderLock}), as {@link
   * #evaluate(EvalData, EvalSettings)} does; an evaluation that embeds elsewhere and then calls
   * {@link #evaluate(EvalData, EvalSettings, EvalWork)} holds it from {@link #pending} on.
   */
  public static FolderLock lockCaches(EvalSettings settings) throws IOException {
    return FolderLock.acquire(settings.cacheDir(), "an evaluation (its embedding caches)");
  }

  private EvalReport evaluateHolding(EvalData data, EvalSettings settings, EvalWork done)
      throws IOException {
    Map<CacheScope, Integer> embeddedElsewhere = new HashMap<>();
    if (done != null) {
      for (EvalWork.Pending p : done.pending()) {
        embeddedElsewhere.merge(p.scope(), p.items().size(), Integer::sum);
      }
    }
    Instant started = done == null ? Instant.now() : done.listed();
    if (!Files.isDirectory(data.root())) {
      throw new IllegalArgumentException("data folder not found: " + data.root());
    }
    ReferenceRows references =
        settings.references() == null ? null : ReferenceRows.load(settings.references());
    Map<String, String> notEvaluated = new LinkedHashMap<>();
    List<String> selected = select(data, settings, notEvaluated);
    LOG.info(
        "evaluating {} of {} {} datasets in {} ({}, prompts {})",
        selected.size(),
        data.registry().size(),
        data.registry().name(),
        data.root(),
        settings.reasoning()
            ? "reasoning, max_new_tokens " + settings.maxNewTokens()
            : "no reasoning",
        settings.prompts().id());

    String modelKey = embedder.cacheKey();
    List<DatasetScore> scored = new ArrayList<>();
    Map<String, DatasetRunInfo> infos = new LinkedHashMap<>();
    List<Prediction> predictions = new ArrayList<>();
    try (ImageStore images =
        ImageSourceOpener.open(
            data.images(), sampleImage(data, selected), settings.imageLimits())) {
      for (String dataset : selected) {
        DatasetEvaluation run =
            new DatasetEvaluation(embedder, settings, modelKey, images, embeddedElsewhere)
                .run(data.root(), data.registry().get(dataset));
        scored.add(run.score());
        infos.put(dataset, run.info());
        predictions.addAll(run.predictions());
      }
    }
    Scores scores = Scores.aggregate(data.registry(), scored, notEvaluated);
    // Greedy decoding draws nothing: the evaluation has no seed.
    EvalProvenance provenance =
        new EvalProvenance(
            Provenance.collect(embedder.device(), null),
            describeSource(data.images()),
            started,
            Instant.now());
    RunRecord record =
        new RunRecord(
            settings.modelLabel(),
            embedder.fingerprint(),
            data.name(),
            data.root().toAbsolutePath().toString(),
            data.images() == null ? null : data.images().toAbsolutePath().toString(),
            new RunRecord.PromptInfo(
                settings.prompts().name(),
                settings.prompts().id(),
                settings.prompts().description(),
                settings.prompts().source().map(Path::toString).orElse(null)),
            describe(settings),
            scores,
            infos,
            provenance,
            references);
    try (ImageStore images =
        ImageSourceOpener.open(
            data.images(), sampleImage(data, selected), settings.imageLimits())) {
      HtmlReport.write(
          settings.outputDir().resolve(HTML_FILE), record, predictions, data.root(), images);
    }
    return write(record, predictions, settings.outputDir());
  }

  /** Items one calibration embeds of each side (fewer when fewer are left to embed). */
  static final int CALIBRATION_ITEMS = 8;

  /**
   * What {@link #evaluate} would do, without doing it: each selected dataset's distinct queries and
   * candidates and how many the cache lacks, and the projected time, from embedding (uncached, in
   * one batch per side) up to {@value #CALIBRATION_ITEMS} of the queries and candidates left to
   * embed, taken across the datasets. Writes no outputs.
   */
  public EvalPlan plan(EvalData data, EvalSettings settings) throws IOException {
    if (!Files.isDirectory(data.root())) {
      throw new IllegalArgumentException("data folder not found: " + data.root());
    }
    List<String> selected = select(data, settings, new LinkedHashMap<>());
    String modelKey = embedder.cacheKey();
    int dim = embedder.dimension();
    List<EvalPlan.Dataset> lines = new ArrayList<>();
    List<MultimodalInput> queries = new ArrayList<>();
    List<MultimodalInput> candidates = new ArrayList<>();
    try (ImageStore images =
        ImageSourceOpener.open(
            data.images(), sampleImage(data, selected), settings.imageLimits())) {
      for (String name : selected) {
        DatasetPlan plan =
            DatasetPlanner.plan(
                data.root(), name, settings.prompts(), images, settings.missingImages());
        String prompts = settings.prompts().id();
        List<EvalItem> q =
            missing(
                plan.queries(),
                EmbeddingCache.open(
                    settings.cacheDir(),
                    CacheScope.queries(
                        modelKey, name, prompts, settings.reasoning(), settings.maxNewTokens()),
                    dim));
        List<EvalItem> c =
            missing(
                plan.candidates(),
                EmbeddingCache.open(
                    settings.cacheDir(), CacheScope.candidates(modelKey, name, prompts), dim));
        lines.add(
            new EvalPlan.Dataset(
                name,
                plan.rows().size(),
                plan.queries().size(),
                q.size(),
                plan.candidates().size(),
                c.size()));
        // One item per dataset while there is room: the sample spans the datasets' kinds.
        if (!q.isEmpty() && queries.size() < CALIBRATION_ITEMS) {
          queries.add(EmbeddingPass.input(q.get(0), images, name));
        }
        if (!c.isEmpty() && candidates.size() < CALIBRATION_ITEMS) {
          candidates.add(EmbeddingPass.input(c.get(0), images, name));
        }
      }
    }
    double perQuery = 0;
    if (!queries.isEmpty()) {
      long t0 = System.nanoTime();
      // Preparation included, as when the model would wait for it.
      embedder.embedQueries(
          queries.stream().map(q -> embedder.prepareQuery(q, settings.reasoning())).toList(),
          settings.reasoning(),
          settings.generation());
      perQuery = (System.nanoTime() - t0) / 1e9 / queries.size();
    }
    double perCandidate = 0;
    if (!candidates.isEmpty()) {
      long t0 = System.nanoTime();
      embedder.embedCandidates(
          candidates.stream().map(embedder::prepareCandidate).toList(),
          settings.candidateBatchSize());
      perCandidate = (System.nanoTime() - t0) / 1e9 / candidates.size();
    }
    return new EvalPlan(lines, perQuery, perCandidate, queries.size() + candidates.size());
  }

  /**
   * What {@link #evaluate} would embed, without embedding it: per selected dataset its candidates
   * and then its queries that the caches lack, in the order and batches {@code evaluate} uses. Code
   * that embeds them elsewhere (rge-spark) appends them to the caches ({@link EmbeddingCache#open}
   * with each entry's scope); {@code evaluate} then only scores. Writes nothing.
   */
  public EvalWork pending(EvalData data, EvalSettings settings) throws IOException {
    Instant listed = Instant.now();
    if (!Files.isDirectory(data.root())) {
      throw new IllegalArgumentException("data folder not found: " + data.root());
    }
    List<String> selected = select(data, settings, new LinkedHashMap<>());
    String modelKey = embedder.cacheKey();
    int dim = embedder.dimension();
    String prompts = settings.prompts().id();
    ImageSource source =
        new ImageSource(
            data.images() == null ? null : data.images().toAbsolutePath().toString(),
            sampleImage(data, selected),
            settings.imageLimits());
    List<EvalWork.Pending> pending = new ArrayList<>();
    try (ImageStore images = source.open()) {
      for (String name : selected) {
        DatasetPlan plan =
            DatasetPlanner.plan(
                data.root(), name, settings.prompts(), images, settings.missingImages());
        for (CacheScope scope :
            List.of(
                CacheScope.candidates(modelKey, name, prompts),
                CacheScope.queries(
                    modelKey, name, prompts, settings.reasoning(), settings.maxNewTokens()))) {
          List<EvalItem> items =
              scope.side() == Side.CANDIDATES ? plan.candidates() : plan.queries();
          List<EvalItem> todo =
              EmbeddingPass.todo(items, EmbeddingCache.open(settings.cacheDir(), scope, dim))
                  .stream()
                  .map(items::get)
                  .toList();
          if (!todo.isEmpty()) {
            pending.add(new EvalWork.Pending(name, scope, todo));
          }
        }
      }
    }
    return new EvalWork(source, EmbeddingRecipe.of(settings), dim, pending, listed);
  }

  private static List<EvalItem> missing(List<EvalItem> items, EmbeddingCache cache) {
    return items.stream().filter(i -> !cache.contains(i.key())).toList();
  }

  private static EvalReport write(RunRecord record, List<Prediction> predictions, Path out)
      throws IOException {
    Files.createDirectories(out);
    Path predictionsFile = out.resolve(PREDICTIONS_FILE);
    PredictionsJsonl.write(predictionsFile, predictions);
    Path chart = out.resolve(CHART_FILE);
    boolean charted =
        ScoreChart.write(
            chart,
            record.scores(),
            record.dataName() + ": Precision@1 per dataset (" + record.modelLabel() + ")");
    if (!charted) {
      Files.deleteIfExists(chart);
    }
    Path report = out.resolve(REPORT_FILE);
    AtomicFiles.write(report, ReportMarkdown.render(record).getBytes(StandardCharsets.UTF_8));
    // Last: a scores.json next to outputs of another run would be misleading.
    Path scores = out.resolve(SCORES_FILE);
    AtomicFiles.write(scores, ScoresJson.render(record));
    LOG.info(
        "overall {} over {} datasets; wrote {}",
        record.scores().overall().cell(),
        record.scores().overall().present(),
        out);
    return new EvalReport(record, out, scores, report, predictionsFile, charted ? chart : null);
  }

  private static List<String> select(
      EvalData data, EvalSettings settings, Map<String, String> notEvaluated) {
    Set<String> present = new TreeSet<>(MmebEvalReader.datasets(data.root()));
    List<String> registryNames = data.registry().names();
    for (String folder : present) {
      if (data.registry().find(folder).isEmpty()) {
        LOG.info("ignoring {}: not a {} dataset", folder, data.registry().name());
      }
    }
    List<String> wanted;
    if (settings.datasets().isEmpty()) {
      wanted = registryNames;
    } else {
      for (String name : settings.datasets()) {
        data.registry().get(name);
      }
      wanted = settings.datasets();
    }
    List<String> selected = new ArrayList<>();
    List<String> absent = new ArrayList<>();
    for (String name : registryNames) {
      if (!wanted.contains(name)) {
        notEvaluated.put(name, "not selected");
      } else if (!present.contains(name)) {
        notEvaluated.put(name, "not in the data folder");
        absent.add(name);
      } else {
        selected.add(name);
      }
    }
    if (!absent.isEmpty()) {
      LOG.warn(
          "{} of the {} datasets asked for are not in {}; reported as missing: {}",
          absent.size(),
          wanted.size(),
          data.root(),
          String.join(", ", absent));
    }
    return selected;
  }

  /** The first image path of the first selected dataset that has one, or null. */
  private static String sampleImage(EvalData data, List<String> datasets) {
    for (String dataset : datasets) {
      try (RowStream<EvalRow> rows =
          MmebEvalReader.openDataset(data.root(), dataset, ReadOptions.defaults())) {
        int looked = 0;
        while (rows.hasNext() && looked++ < 100) {
          List<String> paths = rows.next().imagePaths();
          if (!paths.isEmpty()) {
            return paths.get(0);
          }
        }
      }
    }
    return null;
  }

  private static Map<String, Object> describe(EvalSettings s) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("datasets", s.datasets().isEmpty() ? "all present" : s.datasets());
    m.put("reasoning", s.reasoning());
    m.put("max_new_tokens", s.maxNewTokens());
    m.put("decoding", s.generation().decoding().label());
    m.put("query_batch_size", s.queryBatchSize());
    m.put("candidate_batch_size", s.candidateBatchSize());
    m.put("prompts", s.prompts().id());
    m.put("missing_images", s.missingImages().name().toLowerCase(java.util.Locale.ROOT));
    m.put("cache_dir", s.cacheDir().toAbsolutePath().toString());
    m.put("similarity", "cosine");
    m.put("ties", "lower candidate index wins");
    return m;
  }

  private static String describeSource(Path source) {
    if (source == null) {
      return "none";
    }
    try {
      String size = Files.isRegularFile(source) ? ", " + Files.size(source) + " bytes" : "";
      return source.toAbsolutePath() + size + ", modified " + Files.getLastModifiedTime(source);
    } catch (IOException e) {
      return source.toAbsolutePath() + " (" + e.getMessage() + ")";
    }
  }
}
