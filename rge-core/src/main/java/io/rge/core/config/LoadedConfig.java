package io.rge.core.config;

import java.nio.file.Path;
import java.util.Objects;

/**
 * A bound configuration and the file it came from. Paths stay strings in config records and are
 * resolved here, relative to the config file's folder, so a config means the same thing from any
 * working directory.
 *
 * @param <T> the configuration record type
 */
public record LoadedConfig<T>(T config, Path file) {

  public LoadedConfig {
    Objects.requireNonNull(config, "config");
    Objects.requireNonNull(file, "file");
  }

  /** The absolute folder holding the config file. */
  public Path folder() {
    return file.toAbsolutePath().normalize().getParent();
  }

  /**
   * Resolves a path written in the config: absolute paths are returned unchanged, relative ones
   * resolve against {@link #folder()}. No {@code ~} expansion.
   */
  public Path resolve(String path) {
    if (path == null || path.isBlank()) {
      throw new IllegalArgumentException("empty path in config " + file);
    }
    Path p = Path.of(path);
    return p.isAbsolute() ? p : folder().resolve(p).normalize();
  }
}
