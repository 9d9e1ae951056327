package io.rge.core.config;

/**
 * A configuration that cannot be used, with a message that says where and what to change, e.g.
 * {@code train.yaml:12:3: unknown key 'optimizr' in 'training'; known keys: [optimizer, ...]}.
 */
public final class ConfigException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public ConfigException(String message) {
    super(message);
  }

  public ConfigException(String message, Throwable cause) {
    super(message, cause);
  }
}
