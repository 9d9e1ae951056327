package io.rge.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.UncheckedIOException;
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
  void causeCyclesEnd() {
    IllegalStateException a = new IllegalStateException("a");
    IllegalStateException b = new IllegalStateException("b", a);
    a.initCause(b);
    assertEquals("a: b", ErrorMessage.of(a));
  }
}
