package io.rge.data.synth;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rge.data.RgeDataException;
import io.rge.data.TestFiles;
import io.rge.data.images.FolderImageStore;
import io.rge.data.images.ImageLimits;
import io.rge.data.images.ImageStore;
import io.rge.data.mmeb.EvalRow;
import io.rge.data.mmeb.ImagePlaceholder;
import io.rge.data.mmeb.MmebEvalReader;
import io.rge.data.mmeb.MmebTrainReader;
import io.rge.data.mmeb.ReadOptions;
import io.rge.data.mmeb.RowStream;
import io.rge.data.mmeb.TrainRow;
import io.rge.data.rationale.OracleRationaleStore;
import io.rge.data.rationale.RationaleCoverage;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RgeSynthTest {
  private static final com.fasterxml.jackson.databind.ObjectMapper JSON =
      new com.fasterxml.jackson.databind.ObjectMapper();
  private static final SynthSize SIZE = new SynthSize(24, 8, 2, 12, 8);
  private static final Pattern FACT = Pattern.compile("(\\w+) of (\\w+) is (\\w+) \\.");

  @TempDir static Path dir;
  static Path out;
  static SynthLayout layout;
  static SynthManifest manifest;
  static Set<TransformPair> heldOut;

  @BeforeAll
  static void generate() {
    out = dir.resolve("synth");
    manifest = RgeSynth.generate(out, 3, SIZE, false);
    layout = new SynthLayout(out);
    heldOut = new HashSet<>(manifest.heldOut());
  }

  private static SynthColour apply(String transform, SynthColour colour) {
    return SynthColour.fromWord(manifest.transforms().get(transform).get(colour.word()));
  }

  private static SynthColour inverse(String transform, SynthColour result) {
    for (SynthColour colour : SynthColour.values()) {
      if (apply(transform, colour) == result) {
        return colour;
      }
    }
    throw new AssertionError("transform " + transform + " is not a bijection");
  }

  private static Map<String, byte[]> files(Path root) throws IOException {
    Map<String, byte[]> files = new TreeMap<>();
    try (Stream<Path> paths = Files.walk(root)) {
      for (Path path : paths.filter(Files::isRegularFile).toList()) {
        files.put(root.relativize(path).toString(), Files.readAllBytes(path));
      }
    }
    return files;
  }

  @Test
  void sameSeedGivesByteIdenticalFilesOtherSeedDoesNot() throws IOException {
    Path again = dir.resolve("again");
    RgeSynth.generate(again, 3, SIZE, false);
    Map<String, byte[]> first = files(out);
    Map<String, byte[]> second = files(again);
    assertEquals(first.keySet(), second.keySet());
    for (String name : first.keySet()) {
      assertArrayEquals(first.get(name), second.get(name), name);
    }
    Path other = dir.resolve("other");
    RgeSynth.generate(other, 4, SIZE, false);
    Map<String, byte[]> third = files(other);
    long differing =
        first.keySet().stream()
            .filter(name -> !java.util.Arrays.equals(first.get(name), third.get(name)))
            .count();
    assertTrue(differing > first.size() / 2, differing + " of " + first.size() + " files differ");
  }

  @Test
  void worldIsDerangementsWithTwelveSpreadHeldOutPairs() {
    assertEquals(SynthWorld.TRANSFORMS, List.copyOf(manifest.transforms().keySet()));
    for (Map.Entry<String, Map<String, String>> transform : manifest.transforms().entrySet()) {
      Set<String> images = new HashSet<>(transform.getValue().values());
      assertEquals(8, images.size(), "a permutation: " + transform.getKey());
      transform.getValue().forEach((from, to) -> assertNotEquals(from, to, "no fixed point"));
    }
    assertEquals(12, heldOut.size());
    Map<String, Integer> perTransform = new HashMap<>();
    Map<String, Integer> perColour = new HashMap<>();
    for (TransformPair pair : heldOut) {
      perTransform.merge(pair.transform(), 1, Integer::sum);
      perColour.merge(pair.colour(), 1, Integer::sum);
    }
    assertTrue(perTransform.values().stream().allMatch(n -> n == 2), perTransform.toString());
    assertTrue(perColour.values().stream().allMatch(n -> n <= 2), perColour.toString());
    assertEquals(List.copyOf(RgeSynth.vocabulary()), manifest.vocabulary());
    assertEquals(SynthWorld.fromSeed(3).heldOutPairs(), manifest.heldOut());
  }

  /** The (transform, colour) an eval row asks about, recovered from its query and positive. */
  private static TransformPair pairOf(SynthTask task, EvalRow row) {
    String[] words = row.qryText().split(" ");
    String transform = null;
    SynthColour textColour = null;
    for (String word : words) {
      if (SynthWorld.TRANSFORMS.contains(word)) {
        assertEquals(null, transform, "one transform per query: " + row.qryText());
        transform = word;
      }
      for (SynthColour colour : SynthColour.values()) {
        if (colour.word().equals(word)) {
          textColour = colour;
        }
      }
    }
    String positive = row.candidateTexts().get(0);
    SynthColour answer =
        switch (task) {
          case SHAPE_SHIFT, COLOR_SHIFT, SIDE_QA -> SynthColour.fromWord(positive.split(" ")[0]);
          case T2I, COMPOSED_I2I, POINTING, SIDE_SHIFT ->
              cropColour(row.candidateImagePaths().get(0));
          case WHICH_SHAPE -> null;
        };
    SynthColour colour =
        switch (task) {
          case WHICH_SHAPE, T2I, POINTING -> textColour;
          default -> inverse(transform, answer);
        };
    if (answer != null) {
      assertEquals(apply(transform, colour), answer, "positive answers t(c): " + row);
    }
    return new TransformPair(transform, colour.word());
  }

  private static SynthColour cropColour(String path) {
    Matcher m = Pattern.compile("crops/(\\w+)_(\\w+)\\.png").matcher(path);
    assertTrue(m.matches(), path);
    return SynthColour.fromWord(m.group(1));
  }

  /**
   * Colour of the shape pixels in columns [x0, x1): pixels far from the grey background, nearest
   * palette colour.
   */
  static SynthColour dominantColour(BufferedImage image, int x0, int x1) {
    long r = 0;
    long g = 0;
    long b = 0;
    long n = 0;
    for (int y = 0; y < image.getHeight(); y++) {
      for (int x = x0; x < x1; x++) {
        int rgb = image.getRGB(x, y);
        int pr = (rgb >> 16) & 0xff;
        int pg = (rgb >> 8) & 0xff;
        int pb = rgb & 0xff;
        if (Math.abs(pr - 226) + Math.abs(pg - 226) + Math.abs(pb - 226) > 90) {
          r += pr;
          g += pg;
          b += pb;
          n++;
        }
      }
    }
    assertTrue(n > 10, "a shape is visible");
    SynthColour best = null;
    double bestDistance = Double.MAX_VALUE;
    for (SynthColour colour : SynthColour.values()) {
      int[] c = colour.rgb();
      double d =
          Math.pow(r / (double) n - c[0], 2)
              + Math.pow(g / (double) n - c[1], 2)
              + Math.pow(b / (double) n - c[2], 2);
      if (d < bestDistance) {
        bestDistance = d;
        best = colour;
      }
    }
    return best;
  }

  @Test
  void evalRowsFollowTheHeldOutRuleAndShowWhatTheySay() {
    try (ImageStore images = new FolderImageStore(layout.imageRoot(), ImageLimits.defaults())) {
      for (SynthTask task : SynthTask.values()) {
        for (boolean held : new boolean[] {true, false}) {
          Path root = held ? layout.evalRoot() : layout.evalSeenRoot();
          List<EvalRow> rows;
          try (RowStream<EvalRow> stream =
              MmebEvalReader.openDataset(root, task.datasetName(), ReadOptions.defaults())) {
            rows = stream.stream().toList();
          }
          assertEquals(SIZE.evalRowsPerDataset(), rows.size());
          for (EvalRow row : rows) {
            TransformPair pair = pairOf(task, row);
            assertEquals(
                held,
                heldOut.contains(pair),
                task + " " + (held ? "eval" : "eval-seen") + " " + pair);
            int expected = task == SynthTask.WHICH_SHAPE ? 4 : 8;
            assertEquals(expected, row.candidateCount(), row.toString());
            assertEquals(
                expected,
                new HashSet<>(
                        row.candidateTexts().size() == new HashSet<>(row.candidateTexts()).size()
                            ? row.candidateTexts()
                            : row.candidateImagePaths())
                    .size(),
                "distinct candidates: " + row);
            checkImage(task, row, pair, images);
          }
        }
      }
    }
  }

  @Test
  void evalTruthNamesEachRowsCompositionAndAnswer() {
    for (SynthTask task : SynthTask.values()) {
      for (boolean seen : new boolean[] {true, false}) {
        Path root = seen ? layout.evalSeenRoot() : layout.evalRoot();
        List<EvalRow> rows;
        try (RowStream<EvalRow> stream =
            MmebEvalReader.openDataset(root, task.datasetName(), ReadOptions.defaults())) {
          rows = stream.stream().toList();
        }
        OracleRationaleStore truth =
            OracleRationaleStore.load(
                layout.evalRationales(seen, task.datasetName()), rows.size(), true);
        assertEquals(rows.size(), truth.coverage().covered(), task + " covers every row");
        for (EvalRow row : rows) {
          TransformPair pair = pairOf(task, row);
          RationaleReading r = RationaleReading.of(truth.rationale(row.row()).orElseThrow());
          assertEquals(pair.colour(), r.colour(), task + " " + row);
          assertEquals(
              apply(pair.transform(), SynthColour.fromWord(pair.colour())).word(),
              r.answer(),
              task + " " + row);
        }
      }
    }
  }

  @Test
  void answerFirstChangesOnlyTheTaskRationales() throws IOException {
    Path other = dir.resolve("answer-first");
    RgeSynth.generate(other, 3, SIZE, RationaleStyle.ANSWER_FIRST, false);
    Map<String, byte[]> standard = files(out);
    Map<String, byte[]> answerFirst = files(other);
    assertEquals(standard.keySet(), answerFirst.keySet());
    for (String file : standard.keySet()) {
      boolean taskRationales =
          file.startsWith("rationales")
              && !file.contains(RgeSynth.FACTS)
              && !file.contains(RgeSynth.DESCRIBE);
      if (!taskRationales) {
        assertArrayEquals(standard.get(file), answerFirst.get(file), file);
        continue;
      }
      List<String> a = Files.readAllLines(out.resolve(file));
      List<String> b = Files.readAllLines(other.resolve(file));
      assertEquals(a.size(), b.size(), file);
      for (int i = 0; i < a.size(); i++) {
        String before = JSON.readTree(a.get(i)).get("rationale").asText();
        String after = JSON.readTree(b.get(i)).get("rationale").asText();
        RationaleReading r = RationaleReading.of(before);
        assertTrue(after.startsWith(r.answer() + " "), after);
        assertTrue(after.endsWith(" . " + before), after);
      }
    }
  }

  /**
   * The query image shows the composition's colour where the query says, and the one-pass trap is
   * offered.
   */
  private static void checkImage(
      SynthTask task, EvalRow row, TransformPair pair, ImageStore images) {
    SynthColour c = pair.synthColour();
    switch (task) {
      case SHAPE_SHIFT, COLOR_SHIFT, COMPOSED_I2I -> {
        BufferedImage image = images.load(row.qryImagePath());
        assertEquals(56, image.getWidth());
        assertEquals(c, dominantColour(image, 0, 56), row.toString());
      }
      case SIDE_QA, SIDE_SHIFT -> {
        BufferedImage image = images.load(row.qryImagePath());
        boolean left = row.qryText().contains(" left ");
        assertEquals(c, dominantColour(image, left ? 0 : 28, left ? 28 : 56), row.toString());
      }
      default -> {}
    }
    switch (task) {
      case SHAPE_SHIFT ->
          assertTrue(
              row.candidateTexts()
                  .contains(c.word() + " " + row.candidateTexts().get(0).split(" ")[1]));
      case COLOR_SHIFT, SIDE_QA ->
          assertTrue(row.candidateTexts().contains(c.word()), row.toString());
      case T2I, COMPOSED_I2I, SIDE_SHIFT -> {
        String shape = row.candidateImagePaths().get(0).replaceAll(".*_(\\w+)\\.png", "$1");
        assertTrue(
            row.candidateImagePaths().contains("crops/" + c.word() + "_" + shape + ".png"),
            row.toString());
      }
      default -> {}
    }
  }

  @Test
  void trainRowsUseSeenPairsAndCarryConsistentRationales() {
    Set<TransformPair> factPairs = new HashSet<>();
    for (String subset : RgeSynth.trainSubsets()) {
      List<Path> files =
          MmebTrainReader.subsetFiles(layout.trainRoot(), subset, MmebTrainReader.ORIGINAL);
      long count = MmebTrainReader.countRows(files);
      OracleRationaleStore rationales =
          OracleRationaleStore.load(layout.rationaleRoot().resolve(subset + ".jsonl"), count);
      assertEquals(new RationaleCoverage(count, count), rationales.coverage(), subset);
      try (RowStream<TrainRow> rows =
          MmebTrainReader.open(subset, MmebTrainReader.ORIGINAL, files, ReadOptions.defaults())) {
        while (rows.hasNext()) {
          TrainRow row = rationales.attach(rows.next());
          Matcher fact = FACT.matcher(row.rationale());
          if (subset.equals(RgeSynth.DESCRIBE)) {
            assertFalse(fact.find(), row.rationale());
            assertEquals("i see a " + row.posText() + " .", row.rationale());
            continue;
          }
          assertTrue(fact.find(), row.rationale());
          TransformPair pair = new TransformPair(fact.group(1), fact.group(2));
          assertEquals(
              apply(pair.transform(), pair.synthColour()).word(),
              fact.group(3),
              "rationale states a true fact");
          if (subset.equals(RgeSynth.FACTS)) {
            factPairs.add(pair);
            assertEquals(fact.group(3), row.posText());
          } else {
            assertFalse(heldOut.contains(pair), subset + " trains on held-out " + pair);
            assertTrue(
                row.posText().contains(fact.group(3))
                    || String.valueOf(row.posImagePath()).contains(fact.group(3))
                    || subset.equals(SynthTask.WHICH_SHAPE.datasetName()),
                row.toString());
          }
          if (subset.equals(SynthTask.SHAPE_SHIFT.datasetName())) {
            String shape = row.posText().split(" ")[1];
            assertEquals(
                pair.colour() + " " + shape,
                row.negText(),
                "hard negative is the untransformed label");
          }
        }
      }
    }
    assertEquals(48, factPairs.size(), "facts cover all pairs, held-out ones included");
  }

  @Test
  void everyTextUsesTheVocabularyAndEveryImageExists() throws IOException {
    Set<String> vocabulary = RgeSynth.vocabulary();
    assertFalse(vocabulary.contains(ImagePlaceholder.TOKEN));
    List<String> texts = new ArrayList<>();
    Set<String> paths = new HashSet<>();
    for (Path root : List.of(layout.evalRoot(), layout.evalSeenRoot())) {
      for (String dataset : MmebEvalReader.datasets(root)) {
        try (RowStream<EvalRow> rows =
            MmebEvalReader.openDataset(root, dataset, ReadOptions.defaults())) {
          rows.forEachRemaining(
              row -> {
                texts.add(row.qryText());
                texts.addAll(row.candidateTexts());
                paths.addAll(row.imagePaths());
              });
        }
      }
    }
    for (String subset : MmebTrainReader.subsets(layout.trainRoot(), "original")) {
      try (RowStream<TrainRow> rows =
          MmebTrainReader.openSubset(
              layout.trainRoot(), subset, "original", ReadOptions.defaults())) {
        rows.forEachRemaining(
            row -> {
              texts.add(row.qry());
              texts.add(row.posText());
              if (row.hasHardNegative()) {
                texts.add(row.negText());
              }
              paths.addAll(row.imagePaths());
            });
      }
      for (String line : Files.readAllLines(layout.rationaleRoot().resolve(subset + ".jsonl"))) {
        texts.add(line.replaceAll(".*\"rationale\":\"([^\"]*)\".*", "$1"));
      }
    }
    assertEquals(10, MmebTrainReader.subsets(layout.trainRoot(), "original").size());
    for (String text : texts) {
      assertEquals(text.strip(), text);
      for (String word : text.split(" ", -1)) {
        assertTrue(
            vocabulary.contains(word) || word.equals(ImagePlaceholder.TOKEN),
            "'" + word + "' in: " + text);
      }
    }
    try (ImageStore images = new FolderImageStore(layout.imageRoot(), ImageLimits.defaults())) {
      for (String path : paths) {
        BufferedImage image = images.load(path);
        // Three-shape scenes (Pointing queries) are 84 wide, a third per shape; all else 56.
        int width = path.contains("SynthPointing") && !path.startsWith("crops/") ? 84 : 56;
        assertEquals(width, image.getWidth(), path);
        assertEquals(56, image.getHeight(), path);
      }
    }
  }

  @Test
  void refusesANonEmptyFolderUnlessForcedAndLeavesNoTempFolders() throws IOException {
    Path target = dir.resolve("guarded");
    Files.createDirectories(target);
    Files.writeString(target.resolve("keep.txt"), "mine");
    TreeMap<String, List<Long>> before = TestFiles.snapshot(target);
    RgeDataException e =
        assertThrows(
            RgeDataException.class, () -> RgeSynth.generate(target, 1, SynthSize.TINY, false));
    assertTrue(e.getMessage().contains("--force"), e.getMessage());
    assertEquals(before, TestFiles.snapshot(target));

    RgeSynth.generate(target, 1, SynthSize.TINY, true);
    assertFalse(Files.exists(target.resolve("keep.txt")));
    assertTrue(Files.isRegularFile(target.resolve(SynthLayout.MANIFEST)));
    try (Stream<Path> siblings = Files.list(dir)) {
      List<String> leftovers =
          siblings.map(p -> p.getFileName().toString()).filter(n -> n.startsWith(".")).toList();
      assertEquals(List.of(), leftovers);
    }
  }

  @Test
  void manifestReadsBack() {
    SynthManifest read = SynthManifest.read(out);
    assertEquals(manifest.seed(), read.seed());
    assertEquals(manifest.size(), read.size());
    assertEquals(manifest.heldOut(), read.heldOut());
    assertEquals(10, read.datasets().size());
    assertEquals(SIZE.factRepetitions() * 48, read.datasets().get(0).trainRows());
  }
}
