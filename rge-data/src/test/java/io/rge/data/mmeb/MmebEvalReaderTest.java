package io.rge.data.mmeb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rge.data.TestFiles;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MmebEvalReaderTest {
  @TempDir Path root;

  /** Rows i in [from, to): qry with an image on even rows, 3 candidates, candidate 1 an image. */
  private static String rows(int from, int to) {
    return "SELECT CASE WHEN i % 2 = 0 THEN '<|image_1|> query ' || i ELSE 'query ' || i END AS qry_text,"
        + " CASE WHEN i % 2 = 0 THEN 'Set/q' || i || '.jpg' ELSE '' END AS qry_img_path,"
        + " ['pos ' || i, '<|image_1|> represent the given image', 'neg ' || i] AS tgt_text,"
        + " ['', 'Set/c' || i || '.jpg', ''] AS tgt_img_path"
        + " FROM range("
        + from
        + ", "
        + to
        + ") t(i) ORDER BY i";
  }

  @ParameterizedTest
  @ValueSource(strings = {"snappy", "zstd"})
  void readsShardsInFileOrderWithContinuousRowIndices(String compression) {
    // Written second-shard-first: file order must still follow the names.
    TestFiles.parquet(root.resolve("Set/test-00001-of-00002.parquet"), rows(5, 12), compression);
    TestFiles.parquet(root.resolve("Set/test-00000-of-00002.parquet"), rows(0, 5), compression);
    TreeMap<String, List<Long>> before = TestFiles.snapshot(root);

    List<EvalRow> read = new ArrayList<>();
    try (RowStream<EvalRow> rows =
        MmebEvalReader.openDataset(root, "Set", ReadOptions.defaults().withBatchSize(4))) {
      List<Integer> batchSizes = new ArrayList<>();
      for (List<EvalRow> batch = rows.nextBatch(); !batch.isEmpty(); batch = rows.nextBatch()) {
        batchSizes.add(batch.size());
        read.addAll(batch);
      }
      assertEquals(List.of(4, 4, 4), batchSizes);
      assertEquals(12, rows.rowsRead());
    }
    assertEquals(12, read.size());
    for (int i = 0; i < 12; i++) {
      EvalRow row = read.get(i);
      assertEquals("Set", row.dataset());
      assertEquals(i, row.row());
      if (i % 2 == 0) {
        assertEquals("<|image_1|> query " + i, row.qryText());
        assertEquals("Set/q" + i + ".jpg", row.qryImagePath());
      } else {
        assertEquals("query " + i, row.qryText());
        assertNull(row.qryImagePath(), "'' means no image");
      }
      assertEquals(
          List.of("pos " + i, "<|image_1|> represent the given image", "neg " + i),
          row.candidateTexts());
      assertEquals(Arrays.asList(null, "Set/c" + i + ".jpg", null), row.candidateImagePaths());
    }
    assertEquals(12, MmebEvalReader.countRows(MmebEvalReader.datasetFiles(root, "Set")));
    assertEquals(List.of("Set"), MmebEvalReader.datasets(root));
    assertEquals(before, TestFiles.snapshot(root), "reading must not write to the input folder");
  }

  @Test
  void acceptsAnExplicitFileAndIteratesRowByRow() {
    Path file = TestFiles.parquet(root.resolve("any/name.parquet"), rows(0, 3), "zstd");
    try (RowStream<EvalRow> rows =
        MmebEvalReader.open("Named", List.of(file), ReadOptions.defaults())) {
      assertTrue(rows.hasNext());
      assertEquals(0, rows.next().row());
      assertEquals(2, rows.stream().count());
      assertFalse(rows.hasNext());
    }
  }

  @Test
  void listsWithTheJoinSeparatorOrNullsReadBackExactly() {
    // Rows 2 and 4 have a candidate containing U+001F, the separator of the joined fetch: the rest
    // of each file is
    // re-read with plain arrays (row 2 ends the first shard, row 4 is inside the second). Row 5 has
    // a NULL image
    // path, which the join would drop.
    for (int shard = 0; shard < 2; shard++) {
      TestFiles.parquet(
          root.resolve("Odd/test-0000" + shard + "-of-00002.parquet"),
          "SELECT 'q' || i AS qry_text, '' AS qry_img_path,"
              + " CASE WHEN i IN (2, 4) THEN ['a' || chr(31) || 'b', '', 'c'] ELSE ['p' || i, '', 'n'] END"
              + " AS tgt_text, CASE WHEN i = 5 THEN ['', NULL, ''] ELSE ['', '', ''] END AS tgt_img_path"
              + " FROM range("
              + 3 * shard
              + ", "
              + (3 * shard + 3)
              + ") t(i) ORDER BY i",
          "zstd");
    }
    List<EvalRow> rows;
    try (RowStream<EvalRow> stream =
        MmebEvalReader.openDataset(root, "Odd", ReadOptions.defaults())) {
      rows = stream.stream().toList();
    }
    assertEquals(6, rows.size());
    for (int i = 0; i < 6; i++) {
      assertEquals(i, rows.get(i).row());
      assertEquals("q" + i, rows.get(i).qryText());
      List<String> expected =
          i == 2 || i == 4 ? List.of("a\u001fb", "", "c") : List.of("p" + i, "", "n");
      assertEquals(expected, rows.get(i).candidateTexts(), "row " + i);
      assertEquals(Arrays.asList(null, null, null), rows.get(i).candidateImagePaths());
    }
  }

  @Test
  void nullCandidateTextIsAnError() {
    TestFiles.parquet(
        root.resolve("Null/test-00000-of-00001.parquet"),
        "SELECT 'q' AS qry_text, '' AS qry_img_path, ['a', NULL] AS tgt_text, ['', ''] AS tgt_img_path",
        "zstd");
    RowFormatException e = assertThrows(RowFormatException.class, () -> readAll("Null"));
    assertEquals("tgt_text[1]", e.column());
  }

  @Test
  void wrongColumnTypeNamesFileColumnAndTypes() {
    Path file =
        TestFiles.parquet(
            root.resolve("Bad/test-00000-of-00001.parquet"),
            "SELECT 'q' AS qry_text, '' AS qry_img_path, 'pos' AS tgt_text, [''] AS tgt_img_path",
            "snappy");
    TreeMap<String, List<Long>> before = TestFiles.snapshot(root);
    ParquetSchemaException e = assertThrows(ParquetSchemaException.class, () -> readAll("Bad"));
    assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
    assertTrue(
        e.getMessage().contains("'tgt_text' has type VARCHAR, expected VARCHAR[] (list<string>)"),
        e.getMessage());
    assertEquals(before, TestFiles.snapshot(root));
  }

  @Test
  void missingColumnIsNamed() {
    TestFiles.parquet(
        root.resolve("Bad/test-00000-of-00001.parquet"),
        "SELECT 'q' AS qry_text, ['pos'] AS tgt_text, [''] AS tgt_img_path",
        "zstd");
    ParquetSchemaException e = assertThrows(ParquetSchemaException.class, () -> readAll("Bad"));
    assertTrue(e.getMessage().contains("missing column 'qry_img_path'"), e.getMessage());
  }

  @Test
  void imagePathWithoutPlaceholderNamesDatasetRowAndColumn() {
    TestFiles.parquet(
        root.resolve("Bad/test-00000-of-00001.parquet"),
        "SELECT * FROM (VALUES ('<|image_1|> ok', 'a.jpg', ['pos'], ['']),"
            + " ('no token here', 'b.jpg', ['pos'], [''])) t(qry_text, qry_img_path, tgt_text, tgt_img_path)",
        "zstd");
    RowFormatException e = assertThrows(RowFormatException.class, () -> readAll("Bad"));
    assertEquals("Bad", e.dataset());
    assertEquals(1, e.row());
    assertEquals("qry_text", e.column());
    assertTrue(e.getMessage().contains("b.jpg"), e.getMessage());
  }

  @Test
  void placeholderWithoutImagePathNamesTheCandidate() {
    TestFiles.parquet(
        root.resolve("Bad/test-00000-of-00001.parquet"),
        "SELECT 'q' AS qry_text, '' AS qry_img_path, ['pos', 'n', '<|image_1|> img'] AS tgt_text,"
            + " ['', '', ''] AS tgt_img_path",
        "snappy");
    RowFormatException e = assertThrows(RowFormatException.class, () -> readAll("Bad"));
    assertEquals(0, e.row());
    assertEquals("tgt_text[2]", e.column());
  }

  @Test
  void unequalCandidateListsAreRejected() {
    TestFiles.parquet(
        root.resolve("Bad/test-00000-of-00001.parquet"),
        "SELECT 'q' AS qry_text, '' AS qry_img_path, ['a', 'b'] AS tgt_text, [''] AS tgt_img_path",
        "snappy");
    RowFormatException e = assertThrows(RowFormatException.class, () -> readAll("Bad"));
    assertEquals("tgt_img_path", e.column());
  }

  @Test
  void placeholderCheckCanBeLeftToTheCaller() {
    TestFiles.parquet(
        root.resolve("Lenient/test-00000-of-00001.parquet"),
        "SELECT 'no token' AS qry_text, 'a.jpg' AS qry_img_path, ['pos'] AS tgt_text, [''] AS tgt_img_path",
        "snappy");
    try (RowStream<EvalRow> rows =
        MmebEvalReader.openDataset(
            root, "Lenient", ReadOptions.defaults().withoutPlaceholderCheck())) {
      assertEquals("a.jpg", rows.next().qryImagePath());
    }
  }

  @Test
  void missingDatasetFolderIsAClearError() {
    Exception e =
        assertThrows(RuntimeException.class, () -> MmebEvalReader.datasetFiles(root, "Nope"));
    assertTrue(e.getMessage().contains("dataset folder not found"), e.getMessage());
  }

  private void readAll(String dataset) {
    try (RowStream<EvalRow> rows =
        MmebEvalReader.openDataset(root, dataset, ReadOptions.defaults())) {
      while (rows.hasNext()) {
        rows.next();
      }
    }
  }
}
