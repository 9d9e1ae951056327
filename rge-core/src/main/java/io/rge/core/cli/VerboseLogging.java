package io.rge.core.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import org.slf4j.LoggerFactory;

/**
 * Raises the {@code io.rge} log level to DEBUG for {@code --verbose}, when Logback is the SLF4J
 * backend; with any other backend (or none) it does nothing.
 */
final class VerboseLogging {
  static final String RGE_LOGGER = "io.rge";
  private static final String LOGBACK_CONTEXT = "ch.qos.logback.classic.LoggerContext";

  private VerboseLogging() {}

  static void enable() {
    // Checked by name so that no Logback class is loaded (and none needed) without Logback.
    if (LoggerFactory.getILoggerFactory().getClass().getName().equals(LOGBACK_CONTEXT)) {
      Logback.setDebug(RGE_LOGGER);
    }
  }

  /** Touches Logback types; loaded only once Logback is known to be present. */
  private static final class Logback {
    static void setDebug(String loggerName) {
      ((Logger) LoggerFactory.getLogger(loggerName)).setLevel(Level.DEBUG);
    }
  }
}
