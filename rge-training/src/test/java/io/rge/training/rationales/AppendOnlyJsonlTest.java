package io.rge.training.rationales;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.rge.data.RgeDataException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Appending, reading back on reopen, and what happens to a torn or damaged file. */
class AppendOnlyJsonlTest {
  @TempDir Path dir;

  private static List<Long> ids(List<JsonNode> lines) {
    return lines.stream().map(n -> n.get("id").asLong()).toList();
  }

  @Test
  void appendedLinesAreReadBackInOrderOnReopen() throws Exception {
    Path file = dir.resolve("sub/a.jsonl");
    try (AppendOnlyJsonl out = AppendOnlyJsonl.open(file, n -> {})) {
      out.append(List.of(Map.of("id", 0), Map.of("id", 1)));
      out.append(List.of());
      out.append(List.of(Map.of("id", 2)));
    }
    List<JsonNode> seen = new ArrayList<>();
    try (AppendOnlyJsonl out = AppendOnlyJsonl.open(file, seen::add)) {
      out.append(List.of(Map.of("id", 3)));
    }
    assertEquals(List.of(0L, 1L, 2L), ids(seen));
    assertEquals("{\"id\":0}\n{\"id\":1}\n{\"id\":2}\n{\"id\":3}\n", Files.readString(file));
  }

  @Test
  void aTornLastLineIsCutOffAndTheNextAppendFollowsTheLastWholeLine() throws Exception {
    Path file = dir.resolve("a.jsonl");
    Files.writeString(file, "{\"id\":0}\n\n{\"id\":1}\n{\"id\":2,\"ration");
    List<JsonNode> seen = new ArrayList<>();
    try (AppendOnlyJsonl out = AppendOnlyJsonl.open(file, seen::add)) {
      out.append(List.of(Map.of("id", 2)));
    }
    assertEquals(List.of(0L, 1L), ids(seen));
    assertEquals("{\"id\":0}\n\n{\"id\":1}\n{\"id\":2}\n", Files.readString(file));
  }

  @Test
  void aCompleteButUnreadableLastLineCountsAsTorn() throws Exception {
    Path file = dir.resolve("a.jsonl");
    Files.writeString(file, "{\"id\":0}\n\u0000\u0000\u0000\n");
    List<JsonNode> seen = new ArrayList<>();
    AppendOnlyJsonl.open(file, seen::add).close();
    assertEquals(List.of(0L), ids(seen));
    assertEquals("{\"id\":0}\n", Files.readString(file));
  }

  @Test
  void aBadLineInTheMiddleIsDamageAndNothingIsCut() throws Exception {
    Path file = dir.resolve("a.jsonl");
    String text = "{\"id\":0}\nnot json\n{\"id\":2}\n";
    Files.writeString(file, text);
    RgeDataException e =
        assertThrows(RgeDataException.class, () -> AppendOnlyJsonl.open(file, n -> {}));
    assertTrue(e.getMessage().startsWith(file + ", line 2: not a JSON object"), e.getMessage());
    assertEquals(text, Files.readString(file));
  }
}
