package io.rge.data.mmeb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rge.data.TestFiles;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MmebTrainReaderTest {
  @TempDir Path root;

  @ParameterizedTest
  @ValueSource(strings = {"snappy", "zstd"})
  void readsSubsetWithHardNegatives(String compression) {
    TestFiles.parquet(
        root.resolve("Sub/original-00000-of-00001.parquet"),
        "SELECT * FROM (VALUES"
            + " ('<|image_1|> find it', 'Sub/a.jpg', 'cat', '', 'dog', ''),"
            + " ('text query', '', '<|image_1|> represent', 'Sub/b.jpg', '', ''),"
            + " ('q3', '', 'p3', '', '<|image_1|> neg', 'Sub/n.jpg'))"
            + " t(qry, qry_image_path, pos_text, pos_image_path, neg_text, neg_image_path)",
        compression);
    TestFiles.parquet(
        root.resolve("Sub/diverse_instruction-00000-of-00001.parquet"),
        "SELECT 'd' AS qry, '' AS qry_image_path, 'p' AS pos_text, '' AS pos_image_path",
        compression);
    List<TrainRow> rows = read("Sub", MmebTrainReader.ORIGINAL);
    assertEquals(3, rows.size());
    TrainRow first = rows.get(0);
    assertEquals("Sub", first.subset());
    assertEquals("original", first.split());
    assertEquals(0, first.row());
    assertEquals("Sub/a.jpg", first.qryImagePath());
    assertEquals("cat", first.posText());
    assertNull(first.posImagePath());
    assertTrue(first.hasHardNegative());
    assertEquals("dog", first.negText());
    assertNull(first.rationale());
    assertFalse(
        rows.get(1).hasHardNegative(), "empty neg_text and neg_image_path mean no hard negative");
    assertEquals("Sub/b.jpg", rows.get(1).posImagePath());
    assertEquals(List.of("Sub/n.jpg"), rows.get(2).imagePaths());

    List<TrainRow> diverse = read("Sub", MmebTrainReader.DIVERSE_INSTRUCTION);
    assertEquals(1, diverse.size());
    assertFalse(diverse.get(0).hasHardNegative(), "no neg columns at all");
    assertEquals(List.of("Sub"), MmebTrainReader.subsets(root, "original"));
  }

  @Test
  void rowIndicesRunOverShardsSortedByName() {
    for (int shard = 2; shard >= 0; shard--) {
      TestFiles.parquet(
          root.resolve("S/original-0000" + shard + "-of-00003.parquet"),
          "SELECT 'q' || (i + "
              + shard * 10
              + ") AS qry, '' AS qry_image_path, 'p' AS pos_text,"
              + " '' AS pos_image_path FROM range(10) t(i) ORDER BY i",
          "zstd");
    }
    List<TrainRow> rows = read("S", "original");
    assertEquals(30, rows.size());
    for (int i = 0; i < 30; i++) {
      assertEquals(i, rows.get(i).row());
      assertEquals("q" + i, rows.get(i).qry());
    }
    assertEquals(30, MmebTrainReader.countRows(MmebTrainReader.subsetFiles(root, "S", "original")));
  }

  @Test
  void negativePlaceholderMismatchIsNamed() {
    TestFiles.parquet(
        root.resolve("S/original-00000-of-00001.parquet"),
        "SELECT 'q' AS qry, '' AS qry_image_path, 'p' AS pos_text, '' AS pos_image_path,"
            + " 'neg' AS neg_text, 'x.jpg' AS neg_image_path",
        "snappy");
    RowFormatException e = assertThrows(RowFormatException.class, () -> read("S", "original"));
    assertEquals("S/original", e.dataset());
    assertEquals("neg_text", e.column());
  }

  @Test
  void integerColumnIsAWrongType() {
    TestFiles.parquet(
        root.resolve("S/original-00000-of-00001.parquet"),
        "SELECT 'q' AS qry, 7 AS qry_image_path, 'p' AS pos_text, '' AS pos_image_path",
        "snappy");
    ParquetSchemaException e =
        assertThrows(ParquetSchemaException.class, () -> read("S", "original"));
    assertTrue(
        e.getMessage().contains("'qry_image_path' has type INTEGER, expected VARCHAR"),
        e.getMessage());
  }

  @Test
  void notAParquetFileIsAClearError() throws Exception {
    Path file = root.resolve("S/original-00000-of-00001.parquet");
    java.nio.file.Files.createDirectories(file.getParent());
    java.nio.file.Files.writeString(file, "not parquet");
    ParquetSchemaException e =
        assertThrows(ParquetSchemaException.class, () -> read("S", "original"));
    assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
    assertTrue(e.getMessage().contains("empty or not a parquet file"), e.getMessage());
  }

  private List<TrainRow> read(String subset, String split) {
    try (RowStream<TrainRow> rows =
        MmebTrainReader.openSubset(root, subset, split, ReadOptions.defaults())) {
      return rows.stream().toList();
    }
  }
}
