package io.rge.cli.data;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.rge.cli.ImageLimitsOption;
import io.rge.cli.ImagePrefixOption;
import io.rge.cli.ImagesOption;
import io.rge.data.RgeDataException;
import io.rge.data.images.ImageLimits;
import io.rge.data.images.ImageStore;
import io.rge.data.images.ImageStores;
import io.rge.data.inspect.DatasetInspector;
import io.rge.data.inspect.InspectReport;
import io.rge.data.synth.SynthLayout;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code rge data inspect ROOT [--images ZIP_OR_DIR]... [--rationales DIR] [--json]}: prints a
 * table of every dataset under ROOT (or, with {@code --json}, every detail) and exits 1 when it
 * found structural errors (listed), 0 otherwise.
 */
@Command(
    name = "inspect",
    description = {
      "Summarise an MMEB-eval root, an MMEB-train root or an RGE-Synth folder rows, candidates per row,"
          + " images found of those referenced and rationale coverage per dataset (--json: all details).",
      "Exits 1 when structural errors were found (they are listed)."
    },
    mixinStandardHelpOptions = true,
    footerHeading = "%nExamples:%n",
    footer = {
      "  scripts/rge data inspect data/rge-synth",
      "  scripts/rge data inspect data/MMEB-train --images data/MMEB-train/images_zip \\",
      "      --image-prefix images --rationales data/MMEB-train-rationales"
    })
public final class InspectCommand implements Callable<Integer> {
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  @Spec private CommandSpec spec;

  @Parameters(
      index = "0",
      paramLabel = "ROOT",
      description = "Folder of dataset folders, or an RGE-Synth folder.")
  private Path root;

  @Mixin private ImagesOption images;

  @Option(
      names = "--rationales",
      paramLabel = "DIR",
      description =
          "Folder of <Subset>.jsonl oracle rationale files. Default for RGE-Synth: ROOT/rationales.")
  private Path rationales;

  @Mixin private ImagePrefixOption imagePrefix;

  @Option(
      names = "--decode-images",
      description = "Also decode every referenced image (finds corrupt files; slow).")
  private boolean decodeImages;

  @Mixin private ImageLimitsOption imageLimits;

  @Option(
      names = "--max-pixels",
      paramLabel = "N",
      hidden = true,
      description = "Old name of --max-image-pixels.")
  private Long oldMaxPixels;

  @Option(names = "--json", description = "Print every detail as JSON instead of the table.")
  private boolean json;

  @Override
  public Integer call() throws IOException {
    PrintWriter out = spec.commandLine().getOut();
    List<Path> imageSources = images.sources();
    Path rationaleDir = rationales;
    if (DatasetInspector.isSynth(root)) {
      SynthLayout layout = new SynthLayout(root);
      if (imageSources.isEmpty() && Files.isDirectory(layout.imageRoot())) {
        imageSources = List.of(layout.imageRoot());
      }
      if (rationaleDir == null && Files.isDirectory(layout.rationaleRoot())) {
        rationaleDir = layout.rationaleRoot();
      }
    }
    InspectReport report;
    try (ImageStore store = openImages(imageSources)) {
      report = new DatasetInspector(store, rationaleDir, decodeImages).inspect(root);
    } catch (RgeDataException e) {
      spec.commandLine().getErr().println("error: " + e.getMessage());
      return 1;
    }
    if (json) {
      out.println(JSON.writeValueAsString(report));
    } else {
      InspectTable.print(out, report);
    }
    out.flush();
    return report.ok() ? 0 : 1;
  }

  private ImageStore openImages(List<Path> sources) {
    if (sources.isEmpty()) {
      return null;
    }
    ImageLimits limits =
        oldMaxPixels != null && imageLimits.givenOrNull() == null
            ? new ImageLimits(imageLimits.check(oldMaxPixels))
            : imageLimits.limits();
    return ImageStores.openAll(sources, limits, imagePrefix.prefixOrNull());
  }
}
