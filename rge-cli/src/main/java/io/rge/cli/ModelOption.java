package io.rge.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** {@code --model DIR}, required, mixed into the commands that load one model folder. */
public final class ModelOption {
  static final String NAME = "--model";
  static final String LABEL = "DIR";
  static final String DESCRIPTION =
      "Model folder: a Qwen2.5-VL model (config.json, safetensors weights, tokenizer.json) or"
          + " an RGE checkpoint.";

  @Option(names = NAME, paramLabel = LABEL, required = true, description = DESCRIPTION)
  private Path folder;

  public Path folder() {
    return folder;
  }

  /**
   * {@code --model DIR} where it may be left out: the command's config file names the model, or an
   * old spelling of the option (a hidden alias) gives it. The same name, label and description.
   */
  public static final class Optional {
    @Option(names = NAME, paramLabel = LABEL, description = DESCRIPTION)
    private Path folder;

    /** The folder given, or null. */
    public Path folderOrNull() {
      return folder;
    }
  }
}
