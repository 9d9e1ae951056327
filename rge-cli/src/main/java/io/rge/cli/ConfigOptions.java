package io.rge.cli;

import io.rge.core.config.ConfigLoader;
import io.rge.core.config.ConfigOverride;
import io.rge.core.config.LoadedConfig;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;

/**
 * The {@code --config FILE} and repeatable {@code --set KEY=VALUE} options of a command, as a
 * picocli mixin: declare {@code @Mixin ConfigOptions config;} and call {@link #load(Class)}. A
 * {@code --set} that is not {@code KEY=VALUE} is a usage error at parse time.
 */
public final class ConfigOptions {
  @Option(
      names = "--config",
      paramLabel = "FILE",
      required = true,
      description = "YAML configuration; relative paths in it resolve against its folder.")
  private Path config;

  @Option(
      names = "--set",
      paramLabel = "KEY=VALUE",
      converter = OverrideFormat.class,
      description =
          "Override a config value before validation (repeatable), e.g. --set optimizer.lr=1e-4;"
              + " VALUE is YAML: 3, true, [1, 2].")
  private List<String> overrides = new ArrayList<>();

  public Path config() {
    return config;
  }

  public List<String> overrides() {
    return List.copyOf(overrides);
  }

  /** Loads the configuration file with the overrides applied; see {@link ConfigLoader}. */
  public <T> LoadedConfig<T> load(Class<T> type) {
    return ConfigLoader.load(config, type, overrides);
  }

  /** Checks the KEY=VALUE shape while parsing the command line; keeps the text. */
  static final class OverrideFormat implements ITypeConverter<String> {
    @Override
    public String convert(String value) {
      try {
        ConfigOverride.parse(value);
        return value;
      } catch (IllegalArgumentException e) {
        throw new TypeConversionException(e.getMessage());
      }
    }
  }
}
