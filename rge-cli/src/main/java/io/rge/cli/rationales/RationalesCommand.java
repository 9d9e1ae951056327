package io.rge.cli.rationales;

import io.rge.cli.Cli;
import io.rge.cli.DeviceConverter;
import io.rge.cli.PrecisionOption;
import io.rge.cli.TerminalProgress;
import io.rge.core.DeviceChoice;
import io.rge.data.RgeDataException;
import io.rge.data.images.ImageLimits;
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
import java.util.ArrayList;
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
      "Curate oracle rationales for MMEB-train with a teacher model (Qwen2.5-VL family).",
      "The teacher sees each query and its positive target and explains why the target answers"
          + " the query; filtered answers go to OUT/<Subset>.jsonl, the rest to"
          + " OUT/<Subset>.rejected.jsonl, counts to OUT/<Subset>.stats.json. A rerun resumes.",
    },
    sortOptions = false)
public final class RationalesCommand implements Callable<Integer> {
  @Spec private CommandSpec spec;

  @Option(
      names = "--teacher",
      paramLabel = "DIR",
      required = true,
      description =
          "Teacher model folder: a Qwen2.5-VL Instruct model (any size) or an RGE checkpoint.")
  private Path teacher;

  @Option(
      names = "--data",
      paramLabel = "ROOT",
      required = true,
      description = "MMEB-train root (<ROOT>/<Subset>/<split>-*.parquet).")
  private Path data;

  @Option(
      names = "--images",
      paramLabel = "ZIP_OR_DIR",
      description =
          "Image archive or folder (repeatable; a folder of only .zip files opens them all).")
  private List<Path> images = new ArrayList<>();

  @Option(
      names = "--image-prefix",
      paramLabel = "PREFIX",
      description =
          "Leading folder of the rows' image paths that the sources lack (MMEB-train rows say"
              + " images/<Subset>/...; pass 'images' when the sources start at <Subset>/).")
  private String imagePrefix;

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
      description = "Prompt template and filters (default: configs/rationales-teacher.yaml).")
  private Path config;

  @Option(
      names = "--set",
      paramLabel = "KEY=VALUE",
      description = "Override a config key before validation (repeatable).")
  private List<String> overrides = new ArrayList<>();

  @Option(
      names = "--batch-size",
      paramLabel = "N",
      description = "Rows generated together (overrides the config's batch_size).")
  private Integer batchSize;

  @Option(
      names = "--max-new-tokens",
      paramLabel = "N",
      description = "Generation limit per row (overrides the config's max_new_tokens).")
  private Integer maxNewTokens;

  @Mixin private PrecisionOption precision;

  @Option(
      names = "--device",
      paramLabel = "cpu|gpu|auto",
      converter = DeviceConverter.class,
      defaultValue = "auto",
      description = "Where the teacher runs (default: ${DEFAULT-VALUE}).")
  private DeviceChoice device;

  @Option(
      names = "--missing-images",
      paramLabel = "fail|skip_row",
      defaultValue = "fail",
      description = "A row whose image is missing: stop (default), or skip it and count it.")
  private MissingImagePolicy missingImages;

  @Option(names = "--no-progress", description = "Hide the progress bar.")
  private boolean noProgress;

  public static void main(String[] args) {
    System.exit(Cli.run(new RationalesCommand(), args));
  }

  @Override
  public Integer call() throws Exception {
    if (limit != null && limit < 1) {
      throw new CommandLine.ParameterException(spec.commandLine(), "--limit must be >= 1");
    }
    CurationConfig settings =
        (config == null
                ? CurationConfig.defaults(overrides)
                : CurationConfig.load(config, overrides))
            .withGeneration(maxNewTokens, batchSize);
    List<String> names =
        subsets == null
            ? MmebTrainReader.subsets(data, split)
            : subsets.stream().map(String::trim).filter(s -> !s.isEmpty()).toList();
    if (names.isEmpty()) {
      throw new RgeDataException("no subsets with " + split + "-*.parquet files under " + data);
    }
    PrintWriter printer = spec.commandLine().getOut();
    try (ImageStore store = openImages();
        TeacherGenerator model =
            TeacherGenerator.load(teacher, device, precision.requested(), settings.stopToken())) {
      RationaleCurator curator =
          new RationaleCurator(
              model, settings, store, missingImages, TerminalProgress.orNone(!noProgress));
      for (String name : names) {
        CurationTarget target =
            new CurationTarget(data, name, split, limit == null ? Long.MAX_VALUE : limit, out);
        print(printer, curator.curate(target), CurationFiles.of(out, name, split));
      }
    }
    return 0;
  }

  private ImageStore openImages() {
    if (images.isEmpty()) {
      return null;
    }
    return ImageStores.openAll(images, ImageLimits.defaults(), imagePrefix);
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
