package io.rge.cli.eval;

import io.rge.cli.Cli;
import io.rge.cli.DeviceOption;
import io.rge.cli.GenerationOptions;
import io.rge.cli.ImageLimitsOption;
import io.rge.cli.ImagesOption;
import io.rge.cli.MissingImagesOption;
import io.rge.cli.ModelOption;
import io.rge.cli.PrecisionOption;
import io.rge.cli.ProgressOption;
import io.rge.cli.ReasoningOption;
import io.rge.cli.SetOption;
import io.rge.core.DeviceChoice;
import io.rge.core.LoadOptions;
import io.rge.core.RgeModel;
import io.rge.core.config.ConfigLoader;
import io.rge.core.config.LoadedConfig;
import io.rge.data.images.ImageLimits;
import io.rge.data.images.MissingImagePolicy;
import io.rge.data.mmeb.MmebEvalReader;
import io.rge.data.registry.MetaTask;
import io.rge.eval.EvalConfig;
import io.rge.eval.EvalData;
import io.rge.eval.EvalReport;
import io.rge.eval.EvalSettings;
import io.rge.eval.MmebEvaluator;
import io.rge.eval.prompt.PromptSet;
import io.rge.eval.score.Aggregate;
import io.rge.eval.score.Scores;
import io.rge.training.checkpoint.CheckpointProvenance;
import io.rge.training.objective.ObjectiveMode;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code rge eval}: scores a model on MMEB-eval or an RGE-Synth eval split and writes scores.json,
 * report.md, predictions.jsonl and scores.png. Options override the keys of {@code --config}.
 * {@link SparkEvaluate} ({@code rge spark-eval}) takes the same options and embeds on Spark.
 */
@Command(
    name = "eval",
    mixinStandardHelpOptions = true,
    description = "Score a model on MMEB (or RGE-Synth): Precision@1 per dataset and meta-task.",
    sortOptions = false,
    footerHeading = "%nExamples:%n",
    footer = {
      "  scripts/rge eval --config configs/eval-synth.yaml",
      "  scripts/rge eval --model models/MCG-NJU-RGE --data data/MMEB-eval \\",
      "      --out runs/eval-rge --config configs/eval-mmeb.yaml --device gpu"
    })
public class Evaluate implements Callable<Integer> {
  private static final Logger LOG = LoggerFactory.getLogger(Evaluate.class);

  static final String DEFAULT_OUT = "eval-out";

  @Spec CommandSpec spec;

  @Mixin private ModelOption.Optional model;

  @Option(
      names = "--data",
      paramLabel = "DIR",
      description = "MMEB-eval folder, RGE-Synth folder, or an RGE-Synth eval/ or eval-seen/.")
  private Path data;

  @Mixin private ImagesOption images;

  @Option(
      names = "--datasets",
      paramLabel = "A,B",
      split = ",",
      description = "Datasets to evaluate (default: every registry dataset present).")
  private List<String> datasets;

  @Mixin private ReasoningOption reasoning;

  @Option(
      names = "--out",
      paramLabel = "DIR",
      description = "Output folder; overrides the config's out (default: " + DEFAULT_OUT + ").")
  private Path out;

  @Option(
      names = "--config",
      paramLabel = "FILE",
      description = "YAML settings (configs/eval-mmeb.yaml); options override its keys.")
  private Path config;

  @Mixin private SetOption set;

  @Mixin private DeviceOption device;

  // Half-precision weights have other bytes, so the model fingerprint (and the caches) differ.
  @Mixin PrecisionOption precision;

  @Mixin private GenerationOptions generation;

  @Option(
      names = "--prompts",
      paramLabel = "mmeb|FILE",
      description =
          "Instructions: mmeb (MMEB's own) or a prompt file (configs/prompts-rge.yaml)"
              + " (default: mmeb).")
  private String prompts;

  @Option(
      names = "--cache",
      paramLabel = "DIR",
      description = "Embedding cache (default: OUT/cache).")
  private Path cache;

  @Option(
      names = "--references",
      paramLabel = "FILE",
      description = "Reference rows for report.md (configs/reference-paper.yaml).")
  private Path references;

  @Mixin private MissingImagesOption missingImages;

  @Mixin private ImageLimitsOption imageLimits;

  @Option(names = "--label", paramLabel = "NAME", description = "The model's name in the report.")
  private String label;

  @Mixin private ProgressOption progress;

  @Option(
      names = "--plan",
      description =
          "Print the work per dataset (distinct queries and candidates, those not cached) and the"
              + " projected time from a short calibration on the device; evaluate nothing.")
  boolean plan;

  public static void main(String[] args) {
    System.exit(Cli.run(new Evaluate(), args));
  }

  @Override
  public Integer call() throws Exception {
    Settings s = settings();
    requireSomethingToScore(s.data(), s.eval().datasets());
    if (s.eval().reasoning()
        && CheckpointProvenance.trainedObjective(s.model()).orElse(null)
            == ObjectiveMode.BASELINE) {
      // Its rationales would be untrained text, and its embeddings of them meaningless.
      LOG.warn(
          "{} was trained with objective mode baseline (no LM term: it never learned to write a"
              + " rationale); score it with --reasoning=off",
          s.model());
    }
    try (RgeModel loaded =
        RgeModel.load(
            LoadOptions.builder()
                .setModel(s.model())
                .optDevice(s.device())
                .optPrecision(precision.requested())
                .build())) {
      EvalSettings eval =
          s.eval().toBuilder()
              .imageLimits(
                  s.eval().imageLimits().resizedTo(loaded.imageProcessor().config().decodeTarget()))
              .build();
      if (plan) {
        spec.commandLine().getOut().print(new MmebEvaluator(loaded).plan(s.data(), eval).table());
        return 0;
      }
      EvalReport report = new MmebEvaluator(loaded).evaluate(s.data(), eval);
      print(spec.commandLine().getOut(), report);
      if (report.scores().overall().present() == 0) {
        throw new IllegalStateException(
            "no dataset was scored (every row skipped?); see " + report.reportMarkdown());
      }
    }
    return 0;
  }

  /**
   * Fails before the model loads when the data folder holds none of the datasets asked for: a run
   * that can score nothing is an error, and the message says what was looked for.
   */
  static void requireSomethingToScore(EvalData data, List<String> asked) {
    List<String> wanted = asked.isEmpty() ? data.registry().names() : asked;
    List<String> present = MmebEvalReader.datasets(data.root());
    if (wanted.stream().noneMatch(present::contains)) {
      String example = wanted.get(0);
      throw new IllegalArgumentException(
          String.format(
              Locale.ROOT,
              "nothing to score in %s: none of the %d %s datasets asked for is there (looked for"
                  + " <dataset>/%s-*.parquet, e.g. %s/%s-00000-of-00001.parquet)%s",
              data.root(),
              wanted.size(),
              data.registry().name(),
              MmebEvalReader.SPLIT,
              example,
              MmebEvalReader.SPLIT,
              present.isEmpty() ? "" : "; folders found: " + String.join(", ", present)));
    }
  }

  /** The resolved inputs of a run. */
  record Settings(Path model, DeviceChoice device, EvalData data, EvalSettings eval) {}

  Settings settings() {
    List<String> overrides = set.overrides();
    if (!overrides.isEmpty() && config == null) {
      throw new CommandLine.ParameterException(spec.commandLine(), "--set needs --config FILE");
    }
    EvalConfig c = EvalConfig.empty();
    Function<String, Path> resolve = Path::of;
    if (config != null) {
      LoadedConfig<EvalConfig> loaded = ConfigLoader.load(config, EvalConfig.class, overrides);
      c = loaded.config();
      resolve = loaded::resolve;
    }
    Path modelOption = model.folderOrNull();
    Path modelDir = existing(pick(modelOption, c.model(), resolve), modelOption, "model");
    Path dataDir = existing(pick(data, c.data(), resolve), data, "data");
    if (modelDir == null || dataDir == null) {
      throw new CommandLine.ParameterException(
          spec.commandLine(),
          "Missing required option: "
              + (modelDir == null ? "--model" : "--data")
              + " (or its key in --config)");
    }
    Path imagesOption = images.oneOrNull();
    Path imageSource = existing(pick(imagesOption, c.images(), resolve), imagesOption, "images");
    Path outDir = pick(out, c.out(), resolve);
    outDir = outDir == null ? Path.of(DEFAULT_OUT) : outDir;
    EvalSettings.Builder b = EvalSettings.builder(outDir);
    List<String> names = datasets != null ? datasets : c.datasets();
    if (names != null) {
      b.datasets(names.stream().map(String::trim).filter(n -> !n.isEmpty()).toList());
    }
    b.reasoning(first(reasoning.givenOrNull(), c.reasoning(), reasoning.on()));
    b.maxNewTokens(
        first(generation.maxNewTokensGivenOrNull(), c.maxNewTokens(), generation.maxNewTokens()));
    Integer batchSize = generation.batchSizeGivenOrNull();
    b.queryBatchSize(first(batchSize, c.queryBatchSize(), generation.batchSize()));
    b.candidateBatchSize(
        first(batchSize, c.candidateBatchSize(), EvalSettings.DEFAULT_CANDIDATE_BATCH));
    if (prompts != null) {
      b.prompts(PromptSet.resolve(prompts, null));
    } else if (c.prompts() != null) {
      b.prompts(
          c.prompts().equalsIgnoreCase(PromptSet.MMEB)
              ? PromptSet.mmeb()
              : PromptSet.load(resolve.apply(c.prompts())));
    }
    b.cacheDir(pick(cache, c.cacheDir(), resolve));
    b.references(existing(pick(references, c.references(), resolve), references, "references"));
    b.missingImages(
        first(missingImages.givenOrNull(), c.missingImages(), MissingImagePolicy.SKIP_ROW));
    String name = first(label, c.label(), null);
    b.modelLabel(name != null ? name : labelOf(modelDir));
    b.progress(progress.listener());
    long pixels =
        imageLimits.check(
            first(imageLimits.givenOrNull(), c.maxImagePixels(), imageLimits.maxPixels()));
    b.imageLimits(new ImageLimits(pixels));
    return new Settings(
        modelDir,
        first(device.givenOrNull(), c.device(), device.value()),
        EvalData.locate(dataDir, imageSource),
        b.build());
  }

  private static String labelOf(Path modelDir) {
    Path name = modelDir.toAbsolutePath().normalize().getFileName();
    return name == null ? modelDir.toString() : name.toString();
  }

  /**
   * {@code path} when it exists or was not taken from the config; a path from the config that does
   * not exist is an error naming the config file and key (a command-line path is reported by what
   * reads it).
   */
  private Path existing(Path path, Path option, String key) {
    if (path == null || option != null || Files.exists(path)) {
      return path;
    }
    throw new IllegalArgumentException(
        config
            + ": "
            + key
            + " "
            + path
            + " does not exist; fix the key (relative paths start at the config's folder)");
  }

  private static Path pick(Path option, String configValue, Function<String, Path> resolve) {
    if (option != null) {
      return option;
    }
    return configValue == null ? null : resolve.apply(configValue);
  }

  private static <T> T first(T option, T configValue, T fallback) {
    return option != null ? option : configValue != null ? configValue : fallback;
  }

  /** The summary a user sees: the Table-2 row and where the files are. */
  static void print(PrintWriter out, EvalReport report) {
    Scores s = report.scores();
    out.printf(
        "%s: %d of %d datasets scored%n",
        report.run().dataName(), s.overall().present(), s.overall().expected());
    for (MetaTask task : MetaTask.values()) {
      Aggregate a = s.metaTasks().get(task);
      if (a != null) {
        out.printf("  %-16s %s%n", task.label(), a.cell());
      }
    }
    out.printf("  %-16s %s%n", "IND", s.ind().cell());
    out.printf("  %-16s %s%n", "OOD", s.ood().cell());
    out.printf("  %-16s %s%n", "Overall", s.overall().cell());
    if (s.distributionNote() != null) {
      out.println("  (" + s.distributionNote() + ")");
    }
    if (!s.missing().isEmpty()) {
      out.println(
          s.missing().size() <= 5
              ? "  not scored: " + String.join(", ", s.missing().keySet())
              : "  not scored: " + s.missing().size() + " datasets (see report.md)");
    }
    out.println("wrote " + report.scoresJson());
    out.println("      " + report.reportMarkdown());
    out.println("      " + report.reportMarkdown().resolveSibling(MmebEvaluator.HTML_FILE));
    out.println("      " + report.predictions());
    if (report.chart() != null) {
      out.println("      " + report.chart());
    }
  }
}
