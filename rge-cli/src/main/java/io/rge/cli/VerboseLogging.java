package io.rge.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import org.slf4j.LoggerFactory;

/**
 * Raises the {@code io.rge} log level to DEBUG for {@code --verbose} while a command runs, when
 * Logback is the SLF4J backend; with any other backend (or none) it does nothing.
 */
final class VerboseLogging {
  static final String RGE_LOGGER = "io.rge";
  private static final String LOGBACK_CONTEXT = "ch.qos.logback.classic.LoggerContext";

  /** Puts the previous level back; closing twice is harmless. */
  interface Restore extends AutoCloseable {
    @Override
    void close();
  }

  private VerboseLogging() {}

  static Restore raise() {
    // Checked by name so that no Logback class is loaded (and none needed) without Logback.
    if (LoggerFactory.getILoggerFactory().getClass().getName().equals(LOGBACK_CONTEXT)) {
      return Logback.setDebug(RGE_LOGGER);
    }
    return () -> {};
  }

  /** Touches Logback types; loaded only once Logback is known to be present. */
  private static final class Logback {
    static Restore setDebug(String loggerName) {
      Logger logger = (Logger) LoggerFactory.getLogger(loggerName);
      Level before = logger.getLevel();
      logger.setLevel(Level.DEBUG);
      return () -> logger.setLevel(before);
    }
  }
}
