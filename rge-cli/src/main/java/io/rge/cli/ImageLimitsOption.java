package io.rge.cli;

import io.rge.data.images.ImageLimits;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code --max-image-pixels N}, mixed into the commands that decode images ({@code --max-pixels},
 * its old spelling in {@code data inspect}, stays there as a hidden alias).
 */
public final class ImageLimitsOption {
  static final String NAME = "--max-image-pixels";

  @Spec(Spec.Target.MIXEE)
  private CommandSpec command;

  @Option(
      names = NAME,
      paramLabel = "N",
      defaultValue = "" + ImageLimits.DEFAULT_MAX_PIXELS,
      description =
          "Largest width x height of an image before decoding, as PIL's limit; overrides a"
              + " config's max_image_pixels (default: ${DEFAULT-VALUE}, or the config's).")
  private long maxPixels;

  /** The pixel limit; one below 1 is a usage error. */
  public long maxPixels() {
    return check(maxPixels);
  }

  /** The limit typed on the command line, or null: a config's key then applies. */
  public Long givenOrNull() {
    return OptionGiven.on(command, NAME) ? maxPixels() : null;
  }

  /** {@code pixels} when >= 1, else a usage error naming this option. */
  public long check(long pixels) {
    if (pixels < 1) {
      throw new ParameterException(
          command.commandLine(), NAME + " (max_image_pixels) must be >= 1, got " + pixels);
    }
    return pixels;
  }

  public ImageLimits limits() {
    return new ImageLimits(maxPixels());
  }
}
