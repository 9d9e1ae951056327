package io.rge.data.synth;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rge.data.RgeDataException;
import io.rge.data.synth.SynthExample.Candidate;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Generates an RGE-Synth folder: rows in memory from per-dataset random streams, images rendered in
 * parallel (each from its own seed, so thread scheduling cannot change a byte), parquet and
 * rationale files, then the manifest. All of it goes to a temp folder next to the output, renamed
 * into place at the end.
 */
final class SynthGenerator {
  private static final Logger LOG = LoggerFactory.getLogger(SynthGenerator.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String TRAIN = "train";
  private static final String EVAL = "eval";
  private static final String EVAL_SEEN = "eval-seen";

  private static final List<ParquetTableWriter.Column> TRAIN_COLUMNS =
      List.of(
          new ParquetTableWriter.Column("qry", "VARCHAR"),
          new ParquetTableWriter.Column("qry_image_path", "VARCHAR"),
          new ParquetTableWriter.Column("pos_text", "VARCHAR"),
          new ParquetTableWriter.Column("pos_image_path", "VARCHAR"));
  private static final List<ParquetTableWriter.Column> NEGATIVE_COLUMNS =
      List.of(
          new ParquetTableWriter.Column("neg_text", "VARCHAR"),
          new ParquetTableWriter.Column("neg_image_path", "VARCHAR"));
  private static final List<ParquetTableWriter.Column> EVAL_COLUMNS =
      List.of(
          new ParquetTableWriter.Column("qry_text", "VARCHAR"),
          new ParquetTableWriter.Column("qry_img_path", "VARCHAR"),
          new ParquetTableWriter.Column("tgt_text", "VARCHAR[]"),
          new ParquetTableWriter.Column("tgt_img_path", "VARCHAR[]"));

  private final long seed;
  private final SynthSize size;
  private final RationaleStyle style;
  private final SynthWorld world;
  private final TaskExamples examples;
  private final ShapePainter painter = new ShapePainter();

  SynthGenerator(long seed, SynthSize size, RationaleStyle style) {
    this.seed = seed;
    this.size = size;
    this.style = style;
    this.world = SynthWorld.fromSeed(seed);
    this.examples = new TaskExamples(world);
  }

  /** Writes the dataset to {@code out}, replacing a non-empty folder only when {@code force}. */
  SynthManifest generate(Path out, boolean force) {
    Path target = out.toAbsolutePath().normalize();
    checkTarget(target, force);
    Path parent = target.getParent();
    Path temp;
    try {
      Files.createDirectories(parent);
      temp = Files.createTempDirectory(parent, "." + target.getFileName() + ".tmp-");
    } catch (IOException e) {
      throw new RgeDataException(
          "cannot create a temp folder next to " + target + ": " + e.getMessage(), e);
    }
    try {
      SynthManifest manifest = writeAll(new SynthLayout(temp));
      moveIntoPlace(temp, target, force);
      return manifest;
    } catch (RuntimeException e) {
      deleteQuietly(temp);
      throw e;
    }
  }

  private SynthManifest writeAll(SynthLayout layout) {
    Map<String, List<SynthExample>> train = new LinkedHashMap<>();
    Map<String, List<SynthExample>> eval = new LinkedHashMap<>();
    Map<String, List<SynthExample>> evalSeen = new LinkedHashMap<>();
    train.put(RgeSynth.FACTS, facts());
    train.put(RgeSynth.DESCRIBE, describe());
    for (SynthTask task : SynthTask.values()) {
      String name = task.datasetName();
      train.put(name, taskRows(task, TRAIN, world.seenPairs(), size.trainRowsPerTask()));
      eval.put(name, taskRows(task, EVAL, world.heldOutPairs(), size.evalRowsPerDataset()));
      evalSeen.put(name, taskRows(task, EVAL_SEEN, world.seenPairs(), size.evalRowsPerDataset()));
    }

    // Relative image path -> scene; sorted so the work list is the same on every run.
    Map<String, Scene> images = new TreeMap<>();
    for (Scene.Crop crop : TaskExamples.allCrops()) {
      images.put(crop.path(), crop);
    }
    collectImages(TRAIN, train, images);
    collectImages(EVAL, eval, images);
    collectImages(EVAL_SEEN, evalSeen, images);

    int parquetFiles = train.size() + eval.size() + evalSeen.size();
    // A few seconds of work even at the largest size: log lines, not a progress bar.
    LOG.info("rge-synth: writing {} images and {} parquet files", images.size(), parquetFiles);
    try (ParquetTableWriter writer = new ParquetTableWriter()) {
      renderImages(layout.imageRoot(), images);
      for (Map.Entry<String, List<SynthExample>> entry : train.entrySet()) {
        writeTrain(writer, layout, entry.getKey(), entry.getValue());
      }
      for (Map.Entry<String, List<SynthExample>> entry : eval.entrySet()) {
        writeEval(writer, layout.evalRoot(), EVAL, entry.getKey(), entry.getValue());
      }
      for (Map.Entry<String, List<SynthExample>> entry : evalSeen.entrySet()) {
        writeEval(writer, layout.evalSeenRoot(), EVAL_SEEN, entry.getKey(), entry.getValue());
      }
    }
    SynthManifest manifest = manifest(train, eval, evalSeen);
    try {
      Files.write(layout.manifest(), manifest.toJson());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + layout.manifest(), e);
    }
    LOG.info(
        "RGE-Synth seed {}: {} images, {} train subsets, {} eval datasets per split",
        seed,
        images.size(),
        train.size(),
        eval.size());
    return manifest;
  }

  private List<SynthExample> facts() {
    List<SynthExample> rows = new ArrayList<>();
    for (int r = 0; r < size.factRepetitions(); r++) {
      for (TransformPair pair : world.allPairs()) {
        rows.add(examples.fact(pair));
      }
    }
    SplittableRandom random =
        new SplittableRandom(Seeds.derive(seed, TRAIN + "/" + RgeSynth.FACTS));
    Seeds.shuffle(rows, random);
    return rows;
  }

  private List<SynthExample> describe() {
    SplittableRandom random =
        new SplittableRandom(Seeds.derive(seed, TRAIN + "/" + RgeSynth.DESCRIBE));
    List<SynthExample> rows = new ArrayList<>(size.describeRows());
    for (int i = 0; i < size.describeRows(); i++) {
      rows.add(examples.describe(random));
    }
    return rows;
  }

  private List<SynthExample> taskRows(
      SynthTask task, String split, List<TransformPair> pairs, int count) {
    SplittableRandom random =
        new SplittableRandom(Seeds.derive(seed, split + "/" + task.datasetName()));
    List<SynthExample> rows = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      TransformPair pair = pairs.get(random.nextInt(pairs.size()));
      rows.add(examples.example(task, pair, random, size.candidatesPerRow()));
    }
    return rows;
  }

  private static String queryImagePath(String split, String dataset, int row) {
    return String.format("%s/%s/%06d.png", split, dataset, row);
  }

  private static void collectImages(
      String split, Map<String, List<SynthExample>> datasets, Map<String, Scene> images) {
    datasets.forEach(
        (dataset, rows) -> {
          for (int i = 0; i < rows.size(); i++) {
            Scene scene = rows.get(i).qryImage();
            if (scene != null) {
              images.put(queryImagePath(split, dataset, i), scene);
            }
          }
        });
  }

  private void renderImages(Path imageRoot, Map<String, Scene> images) {
    try {
      for (String path : images.keySet()) {
        Files.createDirectories(imageRoot.resolve(path).getParent());
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create image folders under " + imageRoot, e);
    }
    images.entrySet().parallelStream()
        .forEach(
            entry -> {
              Path file = imageRoot.resolve(entry.getKey());
              try {
                Files.write(file, painter.png(entry.getValue()));
              } catch (IOException e) {
                throw new UncheckedIOException("cannot write " + file, e);
              }
            });
  }

  private void writeTrain(
      ParquetTableWriter writer, SynthLayout layout, String subset, List<SynthExample> rows) {
    boolean negatives = rows.stream().anyMatch(row -> row.hardNegative() != null);
    List<ParquetTableWriter.Column> columns = new ArrayList<>(TRAIN_COLUMNS);
    if (negatives) {
      columns.addAll(NEGATIVE_COLUMNS);
    }
    List<Object[]> records = new ArrayList<>(rows.size());
    for (int i = 0; i < rows.size(); i++) {
      SynthExample row = rows.get(i);
      Candidate positive = row.candidates().get(0);
      List<Object> values = new ArrayList<>(6);
      values.add(row.qry());
      values.add(row.qryImage() == null ? "" : queryImagePath(TRAIN, subset, i));
      values.add(positive.text());
      values.add(imagePath(positive));
      if (negatives) {
        Candidate negative = row.hardNegative();
        values.add(negative == null ? "" : negative.text());
        values.add(negative == null ? "" : imagePath(negative));
      }
      records.add(values.toArray());
    }
    Path folder = layout.trainRoot().resolve(subset);
    createDirectories(folder);
    writer.write(folder.resolve("original-00000-of-00001.parquet"), columns, records);
    // Only the task rows' rationales change with the style: facts and descriptions have no answer.
    boolean task = !subset.equals(RgeSynth.FACTS) && !subset.equals(RgeSynth.DESCRIBE);
    writeRationales(
        layout.rationaleRoot().resolve(subset + ".jsonl"),
        rows,
        task ? style : RationaleStyle.STANDARD);
  }

  private static void writeEval(
      ParquetTableWriter writer, Path root, String split, String dataset, List<SynthExample> rows) {
    List<Object[]> records = new ArrayList<>(rows.size());
    for (int i = 0; i < rows.size(); i++) {
      SynthExample row = rows.get(i);
      List<String> texts = new ArrayList<>();
      List<String> paths = new ArrayList<>();
      for (Candidate candidate : row.candidates()) {
        texts.add(candidate.text());
        paths.add(imagePath(candidate));
      }
      records.add(
          new Object[] {
            row.qry(), row.qryImage() == null ? "" : queryImagePath(split, dataset, i), texts, paths
          });
    }
    Path folder = root.resolve(dataset);
    createDirectories(folder);
    writer.write(folder.resolve("test-00000-of-00001.parquet"), EVAL_COLUMNS, records);
    // The truth a generated rationale is checked against, in the one style every style reads.
    writeRationales(folder.resolve(SynthLayout.EVAL_RATIONALES), rows, RationaleStyle.STANDARD);
  }

  private static void writeRationales(Path file, List<SynthExample> rows, RationaleStyle style) {
    createDirectories(file.getParent());
    try (BufferedWriter writer = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      for (int i = 0; i < rows.size(); i++) {
        ObjectNode line = JSON.createObjectNode();
        line.put("id", i);
        line.put("rationale", style.apply(rows.get(i).rationale()));
        line.put("qry", rows.get(i).qry());
        writer.write(JSON.writeValueAsString(line));
        writer.write('\n');
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }

  private static String imagePath(Candidate candidate) {
    return candidate.image() == null ? "" : candidate.image().path();
  }

  private SynthManifest manifest(
      Map<String, List<SynthExample>> train,
      Map<String, List<SynthExample>> eval,
      Map<String, List<SynthExample>> evalSeen) {
    Map<String, List<Integer>> colours = new LinkedHashMap<>();
    for (SynthColour colour : SynthColour.values()) {
      int[] rgb = colour.rgb();
      colours.put(colour.word(), List.of(rgb[0], rgb[1], rgb[2]));
    }
    List<String> shapes = new ArrayList<>();
    for (SynthShape shape : SynthShape.values()) {
      shapes.add(shape.word());
    }
    List<SynthManifest.Entry> entries = new ArrayList<>();
    entries.add(
        new SynthManifest.Entry(RgeSynth.FACTS, null, train.get(RgeSynth.FACTS).size(), 0, 0));
    entries.add(
        new SynthManifest.Entry(
            RgeSynth.DESCRIBE, null, train.get(RgeSynth.DESCRIBE).size(), 0, 0));
    for (SynthTask task : SynthTask.values()) {
      String name = task.datasetName();
      entries.add(
          new SynthManifest.Entry(
              name,
              task.metaTask().label(),
              train.get(name).size(),
              eval.get(name).size(),
              evalSeen.get(name).size()));
    }
    return new SynthManifest(
        SynthManifest.FORMAT,
        1,
        seed,
        size,
        colours,
        shapes,
        world.table(),
        world.heldOutPairs(),
        entries,
        List.copyOf(SynthText.vocabulary()));
  }

  private static void checkTarget(Path target, boolean force) {
    if (!Files.exists(target)) {
      return;
    }
    if (!Files.isDirectory(target)) {
      throw new RgeDataException("output " + target + " exists and is not a folder");
    }
    if (!force && !isEmpty(target)) {
      throw new RgeDataException(
          "output folder " + target + " is not empty; pass --force (force = true) to replace it");
    }
  }

  private static void moveIntoPlace(Path temp, Path target, boolean force) {
    try {
      if (Files.exists(target)) {
        checkTarget(target, force);
        Path old =
            Files.createTempDirectory(target.getParent(), "." + target.getFileName() + ".old-");
        Files.delete(old);
        Files.move(target, old, StandardCopyOption.ATOMIC_MOVE);
        Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
        deleteQuietly(old);
      } else {
        Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
      }
    } catch (IOException e) {
      throw new RgeDataException(
          "cannot move the generated data into " + target + ": " + e.getMessage(), e);
    }
  }

  private static boolean isEmpty(Path folder) {
    try (Stream<Path> entries = Files.list(folder)) {
      return entries.findAny().isEmpty();
    } catch (IOException e) {
      throw new RgeDataException("cannot list " + folder + ": " + e.getMessage(), e);
    }
  }

  private static void createDirectories(Path folder) {
    try {
      Files.createDirectories(folder);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create " + folder, e);
    }
  }

  private static void deleteQuietly(Path root) {
    if (!Files.exists(root)) {
      return;
    }
    try {
      Files.walkFileTree(
          root,
          new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs)
                throws IOException {
              Files.delete(file);
              return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
              Files.delete(dir);
              return FileVisitResult.CONTINUE;
            }
          });
    } catch (IOException e) {
      LOG.warn("could not delete {}: {}", root, e.getMessage());
    }
  }
}
