package io.rge.cli.rationales;

import io.rge.cli.Cli;
import io.rge.cli.DeviceOption;
import io.rge.cli.GenerationOptions;
import io.rge.cli.ImageLimitsOption;
import io.rge.cli.ImagePrefixOption;
import io.rge.cli.ImagesOption;
import io.rge.cli.MissingImagesOption;
import io.rge.cli.ModelOption;
import io.rge.cli.PrecisionOption;
import io.rge.cli.ProgressOption;
import io.rge.cli.SetOption;
import io.rge.data.RgeDataException;
import io.rge.data.images.ImageStore;
import io.rge.data.images.ImageStores;
import io.rge.data.images.MissingImagePolicy;
import io.rge.data.mmeb.MmebTrainReader;
import io.rge.training.rationales.CurationConfig;
import io.rge.training.rationales.CurationFiles;
import io.rge.training.rationales.CurationStats;
import io.rge.training.rationales.CurationTarget;
import io.rge.training.rationales.RationaleCurator;
import io.rge.training.rationales.TeacherGenerator;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.StringJoiner;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code rge rationales}: curates oracle rationales for MMEB-train subsets with a teacher model and
 * writes {@code <Subset>.jsonl} (what training reads), {@code <Subset>.rejected.jsonl} and {@code
 * <Subset>.stats.json} per subset; a rerun resumes.
 */
@Command(
    name = "rationales",
    mixinStandardHelpOptions = true,
    description = {
      "Curate oracle rationales for MMEB-train with a teacher model (--model: any"
          + " Qwen2.5-VL Instruct model, or an RGE checkpoint).",
      "The teacher sees each query and its positive target and explains why the target answers"
          + " the query; filtered answers go to OUT/<Subset>.jsonl, the rest to"
          + " OUT/<Subset>.rejected.jsonl, counts to OUT/<Subset>.stats.json. A rerun resumes.",
    },
    sortOptions = false,
    footerHeading = "%nExamples:%n",
    footer = {
      "  scripts/rge rationales --model models/Qwen2.5-VL-7B-Instruct \\",
      "      --data data/MMEB-train --images data/MMEB-train/images_zip \\",
      "      --image-prefix images --out data/MMEB-train-rationales --limit 100"
    })
public final class RationalesCommand implements Callable<Integer> {
  @Spec private CommandSpec spec;

  @Mixin private ModelOption.Optional model;

  @Option(
      names = "--teacher",
      paramLabel = "DIR",
      hidden = true,
      description = "Old name of --model.")
  private Path teacher;

  @Option(
      names = "--data",
      paramLabel = "ROOT",
      required = true,
      description = "MMEB-train root (<ROOT>/<Subset>/<split>-*.parquet).")
  private Path data;

  @Mixin private ImagesOption images;

  @Mixin private ImagePrefixOption imagePrefix;

  @Mixin private ImageLimitsOption imageLimits;

  @Option(
      names = "--subsets",
      paramLabel = "A,B",
      split = ",",
      description = "Subsets to curate (default: every subset under ROOT).")
  private List<String> subsets;

  @Option(
      names = "--split",
      paramLabel = "NAME",
      defaultValue = MmebTrainReader.ORIGINAL,
      description = "original or diverse_instruction (default: ${DEFAULT-VALUE}).")
  private String split;

  @Option(
      names = "--limit",
      paramLabel = "N",
      description = "Only the first N rows of each subset (default: all).")
  private Long limit;

  @Option(names = "--out", paramLabel = "DIR", required = true, description = "Output folder.")
  private Path out;

  @Option(
      names = "--config",
      paramLabel = "FILE",
      description =
          "Prompt template, filters and generation settings (default:"
              + " configs/rationales-teacher.yaml: max_new_tokens 224, batch_size 16).")
  private Path config;

  @Mixin private SetOption set;

  @Mixin private GenerationOptions generation;

  @Mixin private PrecisionOption precision;

  @Mixin private DeviceOption device;

  @Mixin private MissingImagesOption missingImages;

  @Mixin private ProgressOption progress;

  public static void main(String[] args) {
    System.exit(Cli.run(new RationalesCommand(), args));
  }

  @Override
  public Integer call() throws Exception {
    if (limit != null && limit < 1) {
      throw new CommandLine.ParameterException(spec.commandLine(), "--limit must be >= 1");
    }
    Path teacherDir = model.folderOrNull() != null ? model.folderOrNull() : teacher;
    if (teacherDir == null) {
      throw new CommandLine.ParameterException(
          spec.commandLine(), "Missing required option: '--model=DIR' (the teacher model)");
    }
    List<String> overrides = set.overrides();
    CurationConfig settings =
        (config == null
                ? CurationConfig.defaults(overrides)
                : CurationConfig.load(config, overrides))
            .withGeneration(
                generation.maxNewTokensGivenOrNull(), generation.batchSizeGivenOrNull());
    List<String> names =
        subsets == null
            ? MmebTrainReader.subsets(data, split)
            : subsets.stream().map(String::trim).filter(s -> !s.isEmpty()).toList();
    if (names.isEmpty()) {
      throw new RgeDataException("no subsets with " + split + "-*.parquet files under " + data);
    }
    PrintWriter printer = spec.commandLine().getOut();
    try (ImageStore store = openImages();
        TeacherGenerator teacherModel =
            TeacherGenerator.load(
                teacherDir, device.value(), precision.requested(), settings.stopToken())) {
      RationaleCurator curator =
          new RationaleCurator(
              teacherModel,
              settings,
              store,
              missingImages.givenOrNull() != null
                  ? missingImages.givenOrNull()
                  : MissingImagePolicy.FAIL,
              progress.listener());
      for (String name : names) {
        CurationTarget target =
            new CurationTarget(data, name, split, limit == null ? Long.MAX_VALUE : limit, out);
        print(printer, curator.curate(target), CurationFiles.of(out, name, split));
      }
    }
    return 0;
  }

  private ImageStore openImages() {
    if (images.sources().isEmpty()) {
      return null;
    }
    return ImageStores.openAll(images.sources(), imageLimits.limits(), imagePrefix.prefixOrNull());
  }

  private static void print(PrintWriter out, CurationStats s, CurationFiles files) {
    StringJoiner reasons = new StringJoiner(", ");
    s.filteredBy()
        .forEach(
            (reason, n) -> {
              if (n > 0) {
                reasons.add(reason + " " + n);
              }
            });
    out.printf(
        Locale.ROOT,
        "%s: %d rows, %d written, %d filtered%s%s, %.0f tokens/s%n",
        s.subset(),
        s.rows(),
        s.written(),
        s.filtered(),
        s.filtered() > 0 ? " (" + reasons + ")" : "",
        s.skippedMissingImage() > 0 ? ", " + s.skippedMissingImage() + " skipped (image)" : "",
        s.generation().tokensPerSecond());
    out.println("  wrote " + files.rationales());
    out.flush();
  }
}
