package io.rge.training.rationales;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.rge.core.progress.ProgressListener;
import io.rge.data.images.ImageLimits;
import io.rge.data.images.ImageStore;
import io.rge.data.images.ImageStores;
import io.rge.data.images.MissingImagePolicy;
import io.rge.data.mmeb.MmebTrainReader;
import io.rge.data.mmeb.ReadOptions;
import io.rge.data.mmeb.RowStream;
import io.rge.data.mmeb.TrainRow;
import io.rge.data.rationale.OracleRationaleStore;
import io.rge.data.synth.SynthLayout;
import io.rge.training.TestRuns;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Curation end to end on the tiny fixture (random weights: the text is noise, the plumbing real)
 * over RGE-Synth's image-to-image subset, whose prompts hold a query image and a target image.
 */
class RationaleCuratorTest {
  private static final String SUBSET = "SynthComposedI2I";
  private static final int ROWS = 6;
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir static Path shared;
  @TempDir Path dir;

  /** An uninterrupted run over the first {@link #ROWS} rows, in windows of 2 rows. */
  private static final CurationConfig KEEP_ALL = FixtureTeacher.keepEverything(5, 2);

  private static Path whole;
  private static CurationStats wholeStats;

  @BeforeAll
  static void uninterruptedRun() throws Exception {
    whole = shared.resolve("whole");
    wholeStats = curate(KEEP_ALL, whole, ProgressListener.NONE);
  }

  private static final class Interrupted extends RuntimeException {
    private static final long serialVersionUID = 1L;
  }

  /** Fails after {@code windows} windows were written, like a run killed between them. */
  private static ProgressListener interruptAfter(int windows) {
    AtomicInteger seen = new AtomicInteger();
    return (label, unit, total, done) ->
        new ProgressListener.Task() {
          @Override
          public void stepBy(long n) {
            if (seen.incrementAndGet() == windows) {
              throw new Interrupted();
            }
          }
        };
  }

  private static CurationStats curate(CurationConfig config, Path out, ProgressListener progress)
      throws Exception {
    SynthLayout synth = new SynthLayout(TestRuns.synth());
    try (ImageStore images = ImageStores.open(synth.imageRoot(), ImageLimits.defaults())) {
      return new RationaleCurator(
              TeacherGenerator.of(FixtureTeacher.model(), "<|im_end|>"),
              config,
              images,
              MissingImagePolicy.FAIL,
              progress)
          .curate(new CurationTarget(synth.trainRoot(), SUBSET, "original", ROWS, out));
    }
  }

  private static List<TrainRow> rows() {
    SynthLayout synth = new SynthLayout(TestRuns.synth());
    try (RowStream<TrainRow> s =
        MmebTrainReader.openSubset(synth.trainRoot(), SUBSET, "original", ReadOptions.defaults())) {
      return s.stream().limit(ROWS).toList();
    }
  }

  @Test
  void aResumedRunWritesExactlyTheRowsOfAnUninterruptedOne() throws Exception {
    CurationConfig config = KEEP_ALL;
    CurationStats full = wholeStats;
    assertEquals(ROWS, full.done());
    assertEquals(ROWS, full.written() + full.filtered());
    CurationFiles wholeFiles = CurationFiles.of(whole, SUBSET, "original");
    List<String> expected = Files.readAllLines(wholeFiles.rationales());
    assertEquals(full.written(), expected.size());

    Path resumed = dir.resolve("resumed");
    assertThrows(Interrupted.class, () -> curate(config, resumed, interruptAfter(1)));
    CurationFiles files = CurationFiles.of(resumed, SUBSET, "original");
    List<String> partial = Files.readAllLines(files.rationales());
    assertEquals(expected.subList(0, partial.size()), partial, "the first window, as written");
    assertTrue(partial.size() < expected.size());
    // The kill came while the next window's first line was being written.
    String next = expected.get(partial.size());
    Files.writeString(
        files.rationales(),
        next.substring(0, next.length() / 2),
        StandardCharsets.UTF_8,
        StandardOpenOption.APPEND);

    CurationStats after = curate(config, resumed, ProgressListener.NONE);
    assertEquals(expected, Files.readAllLines(files.rationales()));
    assertEquals(Files.readString(wholeFiles.rejected()), Files.readString(files.rejected()));
    assertEquals(full.written(), after.written());
    assertEquals(full.filteredBy(), after.filteredBy());
    assertEquals(full.rationaleTokens(), after.rationaleTokens());

    // A third run has nothing left to do and changes nothing.
    CurationStats again = curate(config, resumed, interruptAfter(1));
    assertEquals(ROWS, again.done());
    assertEquals(expected, Files.readAllLines(files.rationales()));
  }

  @Test
  void theOutputLoadsWithTheOracleStoreAndMatchesTheData() throws Exception {
    CurationStats stats = wholeStats;
    CurationFiles files = CurationFiles.of(whole, SUBSET, "original");
    long subsetRows =
        MmebTrainReader.countRows(
            MmebTrainReader.subsetFiles(
                new SynthLayout(TestRuns.synth()).trainRoot(), SUBSET, "original"));
    OracleRationaleStore store = OracleRationaleStore.load(files.rationales(), subsetRows);
    store.verify(rows().iterator());
    assertEquals(stats.written(), store.coverage().covered());
    for (String line : Files.readAllLines(files.rationales())) {
      JsonNode node = JSON.readTree(line);
      assertEquals(List.of("id", "rationale", "qry"), fieldNames(node));
    }
    JsonNode written = JSON.readTree(files.stats().toFile());
    assertEquals(ROWS, written.get("rows").asInt());
    assertEquals(stats.written(), written.get("written").asLong());
    assertTrue(written.get("generation").get("tokens").asLong() > 0);
  }

  @Test
  void everyRowIsCountedOnceUnderItsFilter() throws Exception {
    // The default marker: random weights never write "[END]", so every answer is unterminated.
    CurationConfig config =
        new CurationConfig(null, "{query} / {target} then {end_marker}", "[END]", null, 2, 3, null);
    Path out = dir.resolve("marker");
    CurationStats stats = curate(config, out, ProgressListener.NONE);
    assertEquals(0, stats.written());
    assertEquals(ROWS, stats.filteredBy().get("unterminated"));
    assertEquals(ROWS, stats.filtered());
    List<String> rejected =
        Files.readAllLines(CurationFiles.of(out, SUBSET, "original").rejected());
    assertEquals(ROWS, rejected.size());
    assertEquals("unterminated", JSON.readTree(rejected.get(0)).get("reason").asText());
  }

  private static List<String> fieldNames(JsonNode node) {
    List<String> names = new java.util.ArrayList<>();
    node.fieldNames().forEachRemaining(names::add);
    return names;
  }
}
