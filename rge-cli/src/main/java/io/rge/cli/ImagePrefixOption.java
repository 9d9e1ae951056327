package io.rge.cli;

import picocli.CommandLine.Option;

/** {@code --image-prefix PREFIX}, mixed into the commands that open MMEB-train's images. */
public final class ImagePrefixOption {
  @Option(
      names = "--image-prefix",
      paramLabel = "PREFIX",
      description =
          "Leading folder of the rows' image paths that the image sources lack (MMEB-train rows"
              + " say images/<Subset>/...; pass 'images' when the sources start at <Subset>/).")
  private String prefix;

  /** The prefix, or null for none. */
  public String prefixOrNull() {
    return prefix;
  }
}
