package io.rge.data.mmeb;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rge.data.RgeDataException;
import io.rge.data.TestFiles;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VisdocTaskDataTest {
  @TempDir Path dir;

  /** Three pages with integer ids (as ViDoRe writes them), images as HF's {bytes, path} struct. */
  private void corpus(Path task) {
    TestFiles.parquet(
        task.resolve("corpus/test-00000-of-00001.parquet"),
        "SELECT * FROM (VALUES"
            + " (1::BIGINT, struct_pack(bytes := 'png-1'::BLOB, path := 'page1.png')),"
            + " (2::BIGINT, struct_pack(bytes := 'png-2'::BLOB, path := NULL::VARCHAR)),"
            + " (3::BIGINT, struct_pack(bytes := NULL::BLOB, path := 'page3.png')))"
            + " t(\"corpus-id\", image)",
        "snappy");
  }

  private void queries(Path task) {
    TestFiles.parquet(
        task.resolve("queries/test-00000-of-00001.parquet"),
        "SELECT * FROM (VALUES ('q1', 'first', 'english'), ('q2', 'second', 'french'),"
            + " ('q3', 'only zero grades', 'english')) t(\"query-id\", query, language)",
        "snappy");
  }

  private void qrels(Path task, String rows) {
    TestFiles.parquet(
        task.resolve("qrels/test-00000-of-00001.parquet"),
        "SELECT * FROM (VALUES " + rows + ") t(\"query-id\", \"corpus-id\", score)",
        "snappy");
  }

  private Path task() {
    Path task = dir.resolve("ViDoSeek-doc");
    corpus(task);
    queries(task);
    // q1: page 1 twice (grades 1 then 2), page 2 graded 0; q2: graded 3 and 2; q3: only -1 and 0.
    qrels(
        task,
        "('q1', 1, 1), ('q1', 2, 0), ('q1', 1, 2), ('q2', 3, 3), ('q2', 2, 2), ('q3', 1, -1),"
            + " ('q3', 2, 0)");
    return task;
  }

  @Test
  void dropsNonPositiveQrelsAndKeepsTheHigherGradeOfARepeatedPair() {
    VisdocTaskData data = VisdocTaskData.load("ViDoSeek-doc", task(), null);

    assertEquals(Map.of("1", 2.0), data.qrels().positives("q1"));
    assertEquals(List.of("3", "2"), List.copyOf(data.qrels().positives("q2").keySet()));
    assertEquals(Map.of("3", 3.0, "2", 2.0), data.qrels().positives("q2"));
    assertTrue(data.qrels().positives("q3").isEmpty());
    assertEquals(7, data.qrels().rows());
    assertEquals(3, data.qrels().nonPositiveRows());
    assertEquals(1, data.qrels().repeatedPairs());
    assertEquals(
        List.of(
            new VisdocQuery("q1", "first", "english"), new VisdocQuery("q2", "second", "french")),
        data.queries());
    assertEquals(1, data.queriesWithoutPositives());
    assertEquals(3, data.corpusSize());
  }

  @Test
  void streamsPagesWithTheImageStruct() {
    VisdocTaskData data = VisdocTaskData.load("ViDoSeek-doc", task(), null);
    List<CorpusPage> pages = new ArrayList<>();
    try (RowStream<CorpusPage> rows = data.openCorpus()) {
      rows.forEachRemaining(pages::add);
    }
    assertEquals(List.of("1", "2", "3"), pages.stream().map(CorpusPage::id).toList());
    assertArrayEquals("png-1".getBytes(StandardCharsets.US_ASCII), pages.get(0).imageBytes());
    assertEquals("page1.png", pages.get(0).imagePath());
    assertNull(pages.get(1).imagePath());
    assertNull(pages.get(2).imageBytes());
    assertEquals("page3.png", pages.get(2).imagePath());
  }

  @Test
  void languageKeepsOnlyThatLanguagesQueries() {
    VisdocTaskData data = VisdocTaskData.load("ViDoRe_esg_reports_v2", task(), "english");
    assertEquals(List.of("q1"), data.queries().stream().map(VisdocQuery::id).toList());
  }

  @Test
  void aStringScoreIsAOneLineErrorNamingFileAndColumn() {
    Path task = dir.resolve("T");
    corpus(task);
    queries(task);
    qrels(task, "('q1', 1, '1')");
    RgeDataException e =
        assertThrows(RgeDataException.class, () -> VisdocTaskData.load("T", task, null));
    assertOneLine(e);
    assertTrue(e.getMessage().contains("qrels/test-00000-of-00001.parquet"), e.getMessage());
    assertTrue(e.getMessage().contains("'score'"), e.getMessage());
  }

  @Test
  void aCorpusWithoutTheImageStructNamesTheColumn() {
    Path task = dir.resolve("T");
    TestFiles.parquet(
        task.resolve("corpus/c.parquet"),
        "SELECT 1 AS \"corpus-id\", 'page.png' AS image",
        "snappy");
    queries(task);
    qrels(task, "('q1', 1, 1)");
    RgeDataException e =
        assertThrows(RgeDataException.class, () -> VisdocTaskData.load("T", task, null));
    assertOneLine(e);
    assertTrue(e.getMessage().contains("corpus/c.parquet"), e.getMessage());
    assertTrue(e.getMessage().contains("'image'"), e.getMessage());
    assertTrue(e.getMessage().contains("{bytes: binary, path: string}"), e.getMessage());
  }

  @Test
  void aRelevantPageMissingFromTheCorpusIsNamed() {
    Path task = dir.resolve("T");
    corpus(task);
    queries(task);
    qrels(task, "('q1', 9, 1)");
    RgeDataException e =
        assertThrows(RgeDataException.class, () -> VisdocTaskData.load("T", task, null));
    assertOneLine(e);
    assertTrue(e.getMessage().contains("corpus-id 9"), e.getMessage());
    assertTrue(e.getMessage().contains("query-id q1"), e.getMessage());
  }

  @Test
  void aNullQueryTextNamesFileRowAndField() {
    Path task = dir.resolve("T");
    corpus(task);
    TestFiles.parquet(
        task.resolve("queries/q.parquet"),
        "SELECT * FROM (VALUES ('q1', 'text'), ('q2', NULL)) t(\"query-id\", query)",
        "snappy");
    qrels(task, "('q1', 1, 1)");
    RowFormatException e =
        assertThrows(RowFormatException.class, () -> VisdocTaskData.load("T", task, null));
    assertOneLine(e);
    assertTrue(e.getMessage().contains("queries/q.parquet"), e.getMessage());
    assertEquals(1, e.row());
    assertEquals("query", e.column());
  }

  @Test
  void repeatedQueryAndPageIdsAreErrors() {
    Path task = dir.resolve("T");
    corpus(task);
    TestFiles.parquet(
        task.resolve("queries/q.parquet"),
        "SELECT * FROM (VALUES ('q1', 'a'), ('q1', 'b')) t(\"query-id\", query)",
        "snappy");
    qrels(task, "('q1', 1, 1)");
    RgeDataException e =
        assertThrows(RgeDataException.class, () -> VisdocTaskData.load("T", task, null));
    assertTrue(e.getMessage().contains("query-id q1 appears twice"), e.getMessage());

    Path other = dir.resolve("U");
    TestFiles.parquet(
        other.resolve("corpus/c.parquet"),
        "SELECT * FROM (VALUES ('p', struct_pack(bytes := 'x'::BLOB, path := 'a.png')),"
            + " ('p', struct_pack(bytes := 'y'::BLOB, path := 'b.png'))) t(\"corpus-id\", image)",
        "snappy");
    queries(other);
    qrels(other, "('q1', 'p', 1)");
    e = assertThrows(RgeDataException.class, () -> VisdocTaskData.load("U", other, null));
    assertTrue(e.getMessage().contains("corpus-id p appears twice"), e.getMessage());
  }

  @Test
  void aMissingTableFolderIsNamed() {
    Path task = dir.resolve("T");
    corpus(task);
    queries(task);
    RgeDataException e =
        assertThrows(RgeDataException.class, () -> VisdocTaskData.load("T", task, null));
    assertTrue(e.getMessage().contains(task.resolve("qrels").toString()), e.getMessage());
    assertFalse(BeirFiles.isTaskFolder(task));
  }

  private static void assertOneLine(Exception e) {
    assertFalse(e.getMessage().contains("\n"), e.getMessage());
  }
}
