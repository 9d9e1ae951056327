package io.rge.cli;

import io.rge.data.images.MissingImagePolicy;
import picocli.CommandLine.Option;

/**
 * {@code --missing-images fail|skip_row}, mixed into the commands that read rows with images. The
 * default is the command's: evaluation skips and counts such rows (its report says how many), the
 * curation of training rationales stops, so that a training set is never silently partial.
 */
public final class MissingImagesOption {
  @Option(
      names = "--missing-images",
      paramLabel = "fail|skip_row",
      description =
          "A row whose image is missing: fail (stop), or skip_row (skip and count it); overrides an"
              + " eval config's missing_images (default: skip_row in eval, fail in rationales).")
  private MissingImagePolicy policy;

  /** The policy typed on the command line, or null. */
  public MissingImagePolicy givenOrNull() {
    return policy;
  }
}
