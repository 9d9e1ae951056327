package io.rge.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;

/**
 * One line describing a failure and its causes, for users who did not ask for a stack trace.
 *
 * <p>Wrappers often repeat their cause's message, so a cause whose text is already in the line is
 * left out. Exceptions whose type says nothing beyond their message are shown by message only;
 * others keep their simple class name, because messages such as a bare file path need it.
 */
final class ErrorMessage {
  private static final Set<Class<?>> SELF_EXPLAINING =
      Set.of(
          Exception.class,
          RuntimeException.class,
          IllegalArgumentException.class,
          IllegalStateException.class,
          UnsupportedOperationException.class,
          IOException.class,
          UncheckedIOException.class);

  private ErrorMessage() {}

  static String of(Throwable failure) {
    Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
    StringBuilder line = new StringBuilder();
    for (Throwable t = failure; t != null && seen.add(t); t = t.getCause()) {
      if (isBareWrapper(t)) {
        continue;
      }
      String part = describe(t);
      if (line.length() == 0) {
        line.append(part);
      } else if (line.indexOf(part) < 0) {
        line.append(": ").append(part);
      }
    }
    return line.toString();
  }

  /** {@code new RuntimeException(cause)} takes {@code cause.toString()} as its message. */
  private static boolean isBareWrapper(Throwable t) {
    Throwable cause = t.getCause();
    return cause != null && (t.getMessage() == null || t.getMessage().equals(cause.toString()));
  }

  private static String describe(Throwable t) {
    String message = t.getMessage();
    if (message == null || message.isBlank()) {
      return t.getClass().getSimpleName();
    }
    if (SELF_EXPLAINING.contains(t.getClass()) || t.getClass().getName().startsWith("io.rge.")) {
      return message;
    }
    return t.getClass().getSimpleName() + ": " + message;
  }
}
