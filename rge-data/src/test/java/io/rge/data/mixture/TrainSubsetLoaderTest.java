package io.rge.data.mixture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rge.data.RgeDataException;
import io.rge.data.TestFiles;
import io.rge.data.images.FolderImageStore;
import io.rge.data.images.ImageLimits;
import io.rge.data.images.ImageNotFoundException;
import io.rge.data.images.ImageStore;
import io.rge.data.images.MissingImagePolicy;
import io.rge.data.mmeb.TrainRow;
import io.rge.data.rationale.MissingRationalePolicy;
import io.rge.data.rationale.RationaleCoverage;
import io.rge.data.rationale.RationaleFormatException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainSubsetLoaderTest {
  @TempDir Path dir;
  private Path train;
  private Path rationales;
  private Path images;

  /**
   * 10 rows; odd rows have an image "S/<i>.png" (only rows 1 and 3 exist); rationales for even
   * rows.
   */
  @BeforeEach
  void writeSubset() throws IOException {
    train = dir.resolve("train");
    rationales = dir.resolve("rationales");
    images = dir.resolve("images");
    TestFiles.parquet(
        train.resolve("S/original-00000-of-00001.parquet"),
        "SELECT CASE WHEN i % 2 = 1 THEN '<|image_1|> q' || i ELSE 'q' || i END AS qry,"
            + " CASE WHEN i % 2 = 1 THEN 'S/' || i || '.png' ELSE '' END AS qry_image_path,"
            + " 'p' || i AS pos_text, '' AS pos_image_path FROM range(10) t(i) ORDER BY i",
        "zstd");
    Files.createDirectories(rationales);
    List<String> lines = new ArrayList<>();
    for (int i = 0; i < 10; i += 2) {
      lines.add("{\"id\": " + i + ", \"rationale\": \"r" + i + "\", \"qry\": \"q" + i + "\"}");
    }
    Files.write(rationales.resolve("S.jsonl"), lines);
    Files.createDirectories(images.resolve("S"));
    Files.write(images.resolve("S/1.png"), new byte[] {1});
    Files.write(images.resolve("S/3.png"), new byte[] {1});
  }

  @Test
  void capTakesTheFirstRowsAndDropPolicyDropsRowsWithoutRationale() {
    TrainSubsetLoader loader =
        new TrainSubsetLoader(
            train, rationales, null, MissingImagePolicy.FAIL, MissingRationalePolicy.DROP);
    LoadedSubset loaded = loader.load(new SubsetSpec("S", "original", 6, 1.0));
    assertEquals(6, loaded.rowsRead());
    assertEquals(List.of(0L, 2L, 4L), loaded.rows().stream().map(TrainRow::row).toList());
    assertEquals(
        List.of("r0", "r2", "r4"), loaded.rows().stream().map(TrainRow::rationale).toList());
    assertEquals(3, loaded.droppedNoRationale());
    assertEquals(new RationaleCoverage(5, 10), loaded.coverage());
  }

  @Test
  void loadedSubsetsFeedAMixture() {
    TrainSubsetLoader loader =
        new TrainSubsetLoader(
            train, rationales, null, MissingImagePolicy.FAIL, MissingRationalePolicy.DROP);
    LoadedSubset loaded = loader.load(new SubsetSpec("S", "original", 100, 2.0));
    TrainingMixture<TrainRow> mixture = TrainingMixture.forSubsets(1, 5, List.of(loaded)).build();
    assertEquals(List.of("S/original"), mixture.subsetNames());
    assertEquals(2, mixture.batchesPerEpoch(), "5 rows x weight 2 = 10 draws = 2 batches of 5");
    List<TrainRow> batch = mixture.start().next();
    assertTrue(batch.stream().allMatch(row -> row.rationale() != null));
  }

  @Test
  void contrastiveOnlyKeepsRowsWithoutRationale() {
    TrainSubsetLoader loader =
        new TrainSubsetLoader(
            train,
            rationales,
            null,
            MissingImagePolicy.FAIL,
            MissingRationalePolicy.CONTRASTIVE_ONLY);
    LoadedSubset loaded = loader.load(SubsetSpec.of("S"));
    assertEquals(10, loaded.rows().size());
    assertEquals(5, loaded.contrastiveOnly());
    assertNull(loaded.rows().get(1).rationale());
  }

  @Test
  void missingImagesFailOrAreSkipped() {
    try (ImageStore store = new FolderImageStore(images, ImageLimits.defaults())) {
      TrainSubsetLoader strict =
          new TrainSubsetLoader(
              train,
              rationales,
              store,
              MissingImagePolicy.FAIL,
              MissingRationalePolicy.CONTRASTIVE_ONLY);
      ImageNotFoundException e =
          assertThrows(ImageNotFoundException.class, () -> strict.load(SubsetSpec.of("S")));
      assertTrue(e.getMessage().contains("S/original, row 5: image 'S/5.png'"), e.getMessage());

      TrainSubsetLoader lenient =
          new TrainSubsetLoader(
              train,
              rationales,
              store,
              MissingImagePolicy.SKIP_ROW,
              MissingRationalePolicy.CONTRASTIVE_ONLY);
      LoadedSubset loaded = lenient.load(SubsetSpec.of("S"));
      assertEquals(
          List.of(0L, 1L, 2L, 3L, 4L, 6L, 8L), loaded.rows().stream().map(TrainRow::row).toList());
      assertEquals(3, loaded.skippedMissingImage());
      assertEquals(2, loaded.contrastiveOnly());
    }
  }

  @Test
  void misalignedRationaleFileStopsLoading() throws IOException {
    Files.write(
        rationales.resolve("S.jsonl"),
        List.of("{\"id\": 0, \"rationale\": \"r\", \"qry\": \"q1\"}"));
    TrainSubsetLoader loader =
        new TrainSubsetLoader(
            train, rationales, null, MissingImagePolicy.FAIL, MissingRationalePolicy.DROP);
    assertThrows(RationaleFormatException.class, () -> loader.load(SubsetSpec.of("S")));
  }

  @Test
  void missingRationaleFileIsAnError() throws IOException {
    Files.delete(rationales.resolve("S.jsonl"));
    TrainSubsetLoader loader =
        new TrainSubsetLoader(
            train, rationales, null, MissingImagePolicy.FAIL, MissingRationalePolicy.DROP);
    RgeDataException e =
        assertThrows(RgeDataException.class, () -> loader.load(SubsetSpec.of("S")));
    assertTrue(e.getMessage().contains("expected S.jsonl"), e.getMessage());
  }
}
