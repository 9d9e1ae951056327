package io.rge.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import org.junit.jupiter.api.Test;

class ErrorMessageTest {

  @Test
  void bareWrappersAndRepeatedMessagesAreLeftOut() {
    IOException disk = new IOException("disk full");
    assertEquals("disk full", ErrorMessage.of(new RuntimeException(disk)));
    assertEquals(
        "cannot write run.json: disk full",
        ErrorMessage.of(new UncheckedIOException("cannot write run.json", disk)));
    assertEquals(
        "disk full",
        ErrorMessage.of(new IllegalStateException("disk full", new IOException("disk full"))));
  }

  @Test
  void typesThatAddMeaningKeepTheirName() {
    assertEquals("NullPointerException", ErrorMessage.of(new NullPointerException()));
    assertEquals(
        "bad shard: NumberFormatException: For input string: \"x\"",
        ErrorMessage.of(
            new IllegalArgumentException(
                "bad shard", new NumberFormatException("For input string: \"x\""))));
  }

  @Test
  void fileSystemFailuresBecomeSentencesNamingThePath() {
    assertEquals(
        "/nonexistent/config.json does not exist",
        ErrorMessage.of(new NoSuchFileException("/nonexistent/config.json")));
    String readOnly =
        ErrorMessage.of(
            new UncheckedIOException(
                "cannot write run.json",
                new FileSystemException("/mnt/ro/run.json", null, "Read-only file system")));
    assertEquals(
        "cannot write run.json: /mnt/ro/run.json: Read-only file system; choose an output folder"
            + " on a writable disk",
        readOnly);
    String full =
        ErrorMessage.of(
            new IOException(
                "cannot write /runs/a/metrics.jsonl: No space left on device",
                new IOException("No space left on device")));
    assertTrue(
        full.startsWith("cannot write /runs/a/metrics.jsonl: No space left on device; free"));
    assertFalse(full.contains("IOException"), full);
    assertEquals(1, full.split("No space").length - 1, "said once: " + full);
  }

  @Test
  void causesWithoutWordsAndSecondLinesAreLeftOut() {
    assertEquals(
        "cannot decode x.png: truncated",
        ErrorMessage.of(
            new IllegalStateException("cannot decode x.png: truncated", new EOFException())));
    assertEquals(
        "first line", ErrorMessage.of(new IllegalStateException("first line\n  at [Source: x]")));
  }

  @Test
  void aHugeMessageIsCut() {
    String line = ErrorMessage.of(new IllegalArgumentException("x".repeat(1_000_000)));
    assertTrue(line.length() < ErrorMessage.MAX_LENGTH + 100, "length " + line.length());
    assertTrue(line.endsWith("… (998000 more characters; --verbose shows everything)"), line);
  }

  @Test
  void causeCyclesEnd() {
    IllegalStateException a = new IllegalStateException("a");
    IllegalStateException b = new IllegalStateException("b", a);
    a.initCause(b);
    assertEquals("a: b", ErrorMessage.of(a));
  }
}
