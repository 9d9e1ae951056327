package io.rge.cli;

import io.rge.core.config.ConfigLoader;
import io.rge.core.config.ConfigOverride;
import io.rge.core.config.LoadedConfig;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;

/**
 * The required {@code --config FILE} and the repeatable {@code --set KEY=VALUE} ({@link SetOption})
 * of a command, as a picocli mixin: declare {@code @Mixin ConfigOptions config;} and call {@link
 * #load(Class)}. A {@code --set} that is not {@code KEY=VALUE} is a usage error at parse time.
 */
public final class ConfigOptions {
  @Option(
      names = "--config",
      paramLabel = "FILE",
      required = true,
      description = "YAML configuration; relative paths in it resolve against its folder.")
  private Path config;

  @Mixin private SetOption set;

  public Path config() {
    return config;
  }

  public List<String> overrides() {
    return set.overrides();
  }

  /** Loads the configuration file with the overrides applied; see {@link ConfigLoader}. */
  public <T> LoadedConfig<T> load(Class<T> type) {
    return ConfigLoader.load(config, type, set.overrides());
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
