package io.rge.cli;

import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * The repeatable {@code --set KEY=VALUE}, mixed into every command that reads a config file
 * (through {@link ConfigOptions} where {@code --config} is required). A {@code --set} that is not
 * {@code KEY=VALUE} is a usage error at parse time.
 */
public final class SetOption {
  static final String NAME = "--set";

  @Option(
      names = NAME,
      paramLabel = "KEY=VALUE",
      converter = ConfigOptions.OverrideFormat.class,
      description =
          "Override a --config key before validation (repeatable); KEY is dotted for nested keys"
              + " (optimizer.lr=1e-4), VALUE is YAML: 3, true, [1, 2].")
  private List<String> overrides = new ArrayList<>();

  public List<String> overrides() {
    return List.copyOf(overrides);
  }
}
