package io.rge.data.rationale;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rge.data.TestFiles;
import io.rge.data.mmeb.TrainRow;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OracleRationaleStoreTest {
  @TempDir Path dir;

  private Path file(String... lines) throws IOException {
    Path file = dir.resolve("Sub.jsonl");
    Files.write(file, List.of(lines));
    return file;
  }

  private static TrainRow row(long index, String qry) {
    return new TrainRow("Sub", "original", index, qry, null, "pos", null, null, null, null);
  }

  @Test
  void loadsAttachesAndReportsCoverage() throws IOException {
    Path file =
        file(
            "{\"id\": 2, \"rationale\": \"two\", \"qry\": \"q2\"}",
            "",
            "{\"id\": 0, \"rationale\": \"zero\", \"extra\": 1}");
    TreeMap<String, List<Long>> before = TestFiles.snapshot(dir);
    OracleRationaleStore store = OracleRationaleStore.load(file, 4);
    assertEquals(new RationaleCoverage(2, 4), store.coverage());
    assertEquals(0.5, store.coverage().fraction());
    assertEquals(Optional.of("zero"), store.rationale(0));
    assertEquals(Optional.empty(), store.rationale(1));
    assertEquals("two", store.attach(row(2, "q2")).rationale());
    assertEquals("zero", store.attach(row(0, "no qry check on this line")).rationale());
    TrainRow without = row(3, "q3");
    assertSame(without, store.attach(without));
    assertEquals(before, TestFiles.snapshot(dir));
  }

  @Test
  void blankLinesAreCountedOrRefusedStrictlyWithTheirLineNumber() throws IOException {
    Path file =
        file("{\"id\": 0, \"rationale\": \"r0\"}", "", "{\"id\": 2, \"rationale\": \"r2\"}", "   ");
    assertEquals(2, OracleRationaleStore.load(file, 3).blankLines());
    RationaleFormatException e =
        assertThrows(
            RationaleFormatException.class, () -> OracleRationaleStore.load(file, 3, true));
    assertTrue(e.getMessage().contains("line 2"), e.getMessage());
    assertTrue(e.getMessage().contains("blank line"), e.getMessage());
  }

  @Test
  void misalignedFileFailsOnQryMismatchWithFileAndLine() throws IOException {
    Path file =
        file(
            "{\"id\": 0, \"rationale\": \"r0\", \"qry\": \"q0\"}",
            "{\"id\": 1, \"rationale\": \"r1\", \"qry\": \"q2\"}");
    OracleRationaleStore store = OracleRationaleStore.load(file, 3);
    store.attach(row(0, "q0"));
    RationaleFormatException e =
        assertThrows(RationaleFormatException.class, () -> store.attach(row(1, "q1")));
    assertEquals(file, e.file());
    assertEquals(2, e.line());
    assertTrue(e.getMessage().contains("\"q2\""), e.getMessage());
    assertTrue(e.getMessage().contains("\"q1\""), e.getMessage());
    assertThrows(
        RationaleFormatException.class,
        () -> store.verify(List.of(row(0, "q0"), row(1, "q1")).iterator()));
  }

  @Test
  void duplicateIdNamesBothLines() throws IOException {
    Path file =
        file(
            "{\"id\": 1, \"rationale\": \"a\"}",
            "{\"id\": 0, \"rationale\": \"b\"}",
            "{\"id\": 1, \"rationale\": \"c\"}");
    RationaleFormatException e =
        assertThrows(RationaleFormatException.class, () -> OracleRationaleStore.load(file, 5));
    assertEquals(3, e.line());
    assertTrue(e.getMessage().contains("duplicate id 1 (first given at line 1)"), e.getMessage());
  }

  @Test
  void idOutOfRange() throws IOException {
    Path file = file("{\"id\": 0, \"rationale\": \"a\"}", "{\"id\": 5, \"rationale\": \"b\"}");
    RationaleFormatException e =
        assertThrows(RationaleFormatException.class, () -> OracleRationaleStore.load(file, 5));
    assertEquals(2, e.line());
    assertTrue(
        e.getMessage().contains("id 5 out of range: the subset has 5 rows (ids 0..4)"),
        e.getMessage());
  }

  @Test
  void emptyRationale() throws IOException {
    Path file = file("{\"id\": 0, \"rationale\": \"  \"}");
    RationaleFormatException e =
        assertThrows(RationaleFormatException.class, () -> OracleRationaleStore.load(file, 1));
    assertEquals(1, e.line());
    assertTrue(e.getMessage().contains("empty rationale"), e.getMessage());
  }

  @Test
  void malformedLinesHaveTheirOwnErrors() throws IOException {
    assertLoadError("{\"id\": -1, \"rationale\": \"a\"}", "out of range");
    assertLoadError("{\"id\": 1.5, \"rationale\": \"a\"}", "non-negative integer");
    assertLoadError("{\"id\": \"0\", \"rationale\": \"a\"}", "non-negative integer");
    assertLoadError("{\"rationale\": \"a\"}", "missing \"id\"");
    assertLoadError("{\"id\": 0}", "missing \"rationale\"");
    assertLoadError("{\"id\": 0, \"rationale\": 3}", "must be a string");
    assertLoadError("{\"id\": 0, \"rationale\": \"a\", \"qry\": 3}", "\"qry\" must be a string");
    assertLoadError("{\"id\": 0, \"rationale\": ", "invalid JSON");
    assertLoadError("[1, 2]", "expected a JSON object");
  }

  private void assertLoadError(String line, String expected) throws IOException {
    Path file = file(line);
    RationaleFormatException e =
        assertThrows(
            RationaleFormatException.class, () -> OracleRationaleStore.load(file, 3), line);
    assertTrue(e.getMessage().contains(expected), line + " -> " + e.getMessage());
    assertTrue(e.getMessage().startsWith(file + ", line 1: "), e.getMessage());
  }

  @Test
  void locatesPerSplitFileBeforePerSubsetFile() throws IOException {
    assertEquals(Optional.empty(), RationaleFiles.locate(dir, "Sub", "original"));
    Path perSubset = file("{\"id\": 0, \"rationale\": \"a\"}");
    assertEquals(Optional.of(perSubset), RationaleFiles.locate(dir, "Sub", "original"));
    Path perSplit = dir.resolve("Sub.original.jsonl");
    Files.writeString(perSplit, "");
    assertEquals(Optional.of(perSplit), RationaleFiles.locate(dir, "Sub", "original"));
  }
}
