package io.rge.eval;

import io.rge.core.generation.GenerationSettings;
import io.rge.core.progress.ProgressListener;
import io.rge.data.images.ImageLimits;
import io.rge.data.images.MissingImagePolicy;
import io.rge.eval.prompt.PromptSet;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * How an evaluation runs. Build with {@link #builder(Path)}; every field but the output folder has
 * a default.
 *
 * @param datasets datasets to evaluate; empty for every registry dataset present in the data
 * @param reasoning generate a rationale before embedding each query (RGE's protocol); default on
 * @param maxNewTokens rationale token limit; default 128
 * @param queryBatchSize queries generated (or embedded) together; default 16
 * @param candidateBatchSize candidates embedded in one forward pass; default 32
 * @param prompts the instructions; default MMEB's own
 * @param outputDir where scores.json, report.md, predictions.jsonl and the chart go
 * @param cacheDir where embeddings are cached; default {@code <outputDir>/cache}
 * @param missingImages what to do with rows whose images are missing; default skip them (they are
 *     counted per dataset)
 * @param references a YAML file of reference rows for the report (see {@code
 *     configs/reference-paper.yaml}), or null
 * @param modelLabel the model's name in the report; default "this model"
 * @param imageLimits the pixel limit of the images and the size they are resized to (decoding
 *     subsamples larger ones); default {@link ImageLimits#defaults()}
 * @param progress where each embedding pass reports its progress; default {@link
 *     ProgressListener#NONE} (the command line passes a terminal renderer)
 */
public record EvalSettings(
    List<String> datasets,
    boolean reasoning,
    int maxNewTokens,
    int queryBatchSize,
    int candidateBatchSize,
    PromptSet prompts,
    Path outputDir,
    Path cacheDir,
    MissingImagePolicy missingImages,
    Path references,
    String modelLabel,
    ProgressListener progress,
    ImageLimits imageLimits) {
  public static final int DEFAULT_MAX_NEW_TOKENS = 128;
  public static final int DEFAULT_QUERY_BATCH = 16;
  public static final int DEFAULT_CANDIDATE_BATCH = 32;

  public EvalSettings {
    datasets = List.copyOf(datasets);
    if (datasets.stream().distinct().count() != datasets.size()) {
      throw new IllegalArgumentException("datasets listed twice: " + datasets);
    }
    if (maxNewTokens < 0) {
      throw new IllegalArgumentException("max_new_tokens must be >= 0, got " + maxNewTokens);
    }
    if (queryBatchSize < 1 || candidateBatchSize < 1) {
      throw new IllegalArgumentException(
          "batch sizes must be >= 1, got queries "
              + queryBatchSize
              + " and candidates "
              + candidateBatchSize);
    }
    Objects.requireNonNull(prompts, "prompts");
    Objects.requireNonNull(outputDir, "outputDir");
    Objects.requireNonNull(missingImages, "missingImages");
    modelLabel = modelLabel == null || modelLabel.isBlank() ? "this model" : modelLabel;
    Objects.requireNonNull(imageLimits, "imageLimits");
  }

  /**
   * How query rationales are generated: greedy (the paper's protocol and what the query cache
   * assumes), up to {@link #maxNewTokens}, {@link #queryBatchSize} at a time. The model runs with
   * exactly this and the report records it.
   */
  public GenerationSettings generation() {
    return GenerationSettings.greedy(maxNewTokens, queryBatchSize);
  }

  /** The cache folder: the one set, else {@code <outputDir>/cache}. */
  @Override
  public Path cacheDir() {
    return cacheDir == null ? outputDir.resolve("cache") : cacheDir;
  }

  /** Defaults, writing to {@code outputDir}. */
  public static Builder builder(Path outputDir) {
    return new Builder(outputDir);
  }

  public Builder toBuilder() {
    Builder b = new Builder(outputDir);
    b.datasets = datasets;
    b.reasoning = reasoning;
    b.maxNewTokens = maxNewTokens;
    b.queryBatchSize = queryBatchSize;
    b.candidateBatchSize = candidateBatchSize;
    b.prompts = prompts;
    b.cacheDir = cacheDir;
    b.missingImages = missingImages;
    b.references = references;
    b.modelLabel = modelLabel;
    b.progress = progress;
    b.imageLimits = imageLimits;
    return b;
  }

  /** Mutable builder of {@link EvalSettings}. */
  public static final class Builder {
    private List<String> datasets = List.of();
    private boolean reasoning = true;
    private int maxNewTokens = DEFAULT_MAX_NEW_TOKENS;
    private int queryBatchSize = DEFAULT_QUERY_BATCH;
    private int candidateBatchSize = DEFAULT_CANDIDATE_BATCH;
    private PromptSet prompts = PromptSet.mmeb();
    private Path outputDir;
    private Path cacheDir;
    private MissingImagePolicy missingImages = MissingImagePolicy.SKIP_ROW;
    private Path references;
    private String modelLabel;
    private ProgressListener progress = ProgressListener.NONE;
    private ImageLimits imageLimits = ImageLimits.defaults();

    private Builder(Path outputDir) {
      this.outputDir = outputDir;
    }

    public Builder datasets(List<String> names) {
      this.datasets = names;
      return this;
    }

    public Builder reasoning(boolean on) {
      this.reasoning = on;
      return this;
    }

    public Builder maxNewTokens(int tokens) {
      this.maxNewTokens = tokens;
      return this;
    }

    /** Sets both batch sizes. */
    public Builder batchSize(int size) {
      this.queryBatchSize = size;
      this.candidateBatchSize = size;
      return this;
    }

    public Builder queryBatchSize(int size) {
      this.queryBatchSize = size;
      return this;
    }

    public Builder candidateBatchSize(int size) {
      this.candidateBatchSize = size;
      return this;
    }

    public Builder prompts(PromptSet set) {
      this.prompts = set;
      return this;
    }

    public Builder outputDir(Path dir) {
      this.outputDir = dir;
      return this;
    }

    public Builder cacheDir(Path dir) {
      this.cacheDir = dir;
      return this;
    }

    public Builder missingImages(MissingImagePolicy policy) {
      this.missingImages = policy;
      return this;
    }

    public Builder references(Path file) {
      this.references = file;
      return this;
    }

    public Builder modelLabel(String label) {
      this.modelLabel = label;
      return this;
    }

    public Builder progress(ProgressListener listener) {
      this.progress = Objects.requireNonNull(listener, "progress");
      return this;
    }

    public Builder imageLimits(ImageLimits limits) {
      this.imageLimits = limits;
      return this;
    }

    public EvalSettings build() {
      return new EvalSettings(
          datasets,
          reasoning,
          maxNewTokens,
          queryBatchSize,
          candidateBatchSize,
          prompts,
          outputDir,
          cacheDir,
          missingImages,
          references,
          modelLabel,
          progress,
          imageLimits);
    }
  }
}
