package io.rge.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code --images ZIP_OR_DIR}, mixed into the commands that read a data set's images. */
public final class ImagesOption {
  static final String NAME = "--images";

  @Spec(Spec.Target.MIXEE)
  private CommandSpec command;

  @Option(
      names = NAME,
      paramLabel = "ZIP_OR_DIR",
      description =
          "Image archive (.zip) or folder; repeatable where a command reads several (a folder of"
              + " only .zip files opens them all). Default: the images the data brings (RGE-Synth:"
              + " its images/; eval: images.zip or images/ inside or beside the data folder).")
  private List<Path> sources = new ArrayList<>();

  /** The sources given, in order; empty when none. */
  public List<Path> sources() {
    return List.copyOf(sources);
  }

  /** The one source given, or null; more than one is a usage error. */
  public Path oneOrNull() {
    if (sources.size() > 1) {
      throw new ParameterException(
          command.commandLine(),
          NAME + " takes one archive or folder here, got " + sources.size() + ": " + sources);
    }
    return sources.isEmpty() ? null : sources.get(0);
  }
}
