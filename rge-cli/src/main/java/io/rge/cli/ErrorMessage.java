package io.rge.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.rge.core.text.JsonSyntax;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Locale;
import java.util.Set;

/**
 * One line describing a failure and its causes, for users who did not ask for a stack trace.
 *
 * <p>Wrappers often repeat their cause's message, so a cause whose text is already in the line is
 * left out. File-system failures become sentences naming the path and what to do (a read-only or
 * full disk, a missing file); JSON and YAML syntax errors give {@code file:line:column}. Exceptions
 * whose type says nothing beyond their message are shown by message only; others keep their simple
 * class name, because messages such as a bare file path need it. Every part is cut to its first
 * line, and the line to {@link #MAX_LENGTH} characters.
 */
final class ErrorMessage {
  /** Longer lines are cut: a hostile input must not produce a megabyte of message. */
  static final int MAX_LENGTH = 2000;

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
      if (line.length() > 0 && (t.getMessage() == null || t.getMessage().isBlank())) {
        continue; // a cause with no words of its own (EOFException) adds only a class name
      }
      String part = firstLine(describe(t));
      if (line.length() == 0) {
        line.append(part);
      } else if (line.indexOf(part) < 0 && !alreadySaid(line, t)) {
        line.append(": ").append(part);
      }
    }
    return cut(line.toString());
  }

  /** {@code new RuntimeException(cause)} takes {@code cause.toString()} as its message. */
  private static boolean isBareWrapper(Throwable t) {
    Throwable cause = t.getCause();
    return cause != null && (t.getMessage() == null || t.getMessage().equals(cause.toString()));
  }

  /** A parser's or the file system's own words that the line already carries. */
  private static boolean alreadySaid(CharSequence line, Throwable t) {
    String said = line.toString();
    if (t.getMessage() != null && !t.getMessage().isBlank()) {
      if (said.contains(firstLine(t.getMessage()))) {
        return true;
      }
    }
    if (t instanceof JsonProcessingException json && json.getOriginalMessage() != null) {
      return said.contains(firstLine(json.getOriginalMessage()));
    }
    if (t instanceof FileSystemException fs && fs.getReason() != null) {
      return said.contains(fs.getReason());
    }
    return false;
  }

  private static String describe(Throwable t) {
    if (t instanceof FileSystemException fs) {
      return fileSystem(fs);
    }
    if (t instanceof JsonProcessingException json) {
      return JsonSyntax.describe("input", json);
    }
    if (t instanceof OutOfMemoryError) {
      return "out of memory; give Java more with RGE_JAVA_OPTS=-Xmx<size> (e.g. -Xmx16g)";
    }
    String message = t.getMessage();
    if (message == null || message.isBlank()) {
      return t.getClass().getSimpleName();
    }
    String advice = diskAdvice(message);
    if (advice != null) {
      return message + advice;
    }
    if (SELF_EXPLAINING.contains(t.getClass()) || t.getClass().getName().startsWith("io.rge.")) {
      return message;
    }
    return t.getClass().getSimpleName() + ": " + message;
  }

  /** A sentence for each kind of file-system failure, naming the path. */
  private static String fileSystem(FileSystemException e) {
    String file = e.getFile() == null ? "a file" : e.getFile();
    String other = e.getOtherFile() == null ? "" : " (and " + e.getOtherFile() + ")";
    String reason = e.getReason();
    if (e instanceof NoSuchFileException) {
      return file + other + " does not exist" + (reason == null ? "" : " (" + reason + ")");
    }
    if (e instanceof AccessDeniedException) {
      return file + other + ": permission denied; check its permissions or choose another path";
    }
    if (e instanceof FileAlreadyExistsException) {
      return file + " already exists";
    }
    if (e instanceof NotDirectoryException) {
      return file + " is not a folder";
    }
    if (e instanceof DirectoryNotEmptyException) {
      return file + " is a folder that is not empty";
    }
    String advice = reason == null ? null : diskAdvice(reason);
    if (advice != null) {
      return file + other + ": " + reason + advice;
    }
    return file + other + (reason == null ? ": cannot be used" : ": " + reason);
  }

  /** What to do about a full or read-only disk, from the operating system's words; else null. */
  private static String diskAdvice(String message) {
    String m = message.toLowerCase(Locale.ROOT);
    if (m.contains("no space left on device") || m.contains("disk quota exceeded")) {
      return "; free some space or choose another output folder and run again (inputs and"
          + " complete outputs are left as they were)";
    }
    if (m.contains("read-only file system")) {
      return "; choose an output folder on a writable disk";
    }
    return null;
  }

  private static String firstLine(String text) {
    int end = text.indexOf('\n');
    return (end < 0 ? text : text.substring(0, end)).strip();
  }

  private static String cut(String line) {
    if (line.length() <= MAX_LENGTH) {
      return line;
    }
    return line.substring(0, MAX_LENGTH)
        + "… ("
        + (line.length() - MAX_LENGTH)
        + " more characters; --verbose shows everything)";
  }
}
