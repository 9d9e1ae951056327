package io.rge.data.inspect;

import io.rge.data.DuckDb;
import io.rge.data.RgeDataException;
import io.rge.data.images.ImagePaths;
import io.rge.data.images.ImageStore;
import io.rge.data.images.UnsafeImagePathException;
import io.rge.data.mmeb.EvalRow;
import io.rge.data.mmeb.ImagePlaceholder;
import io.rge.data.mmeb.MmebEvalReader;
import io.rge.data.mmeb.MmebTrainReader;
import io.rge.data.mmeb.ReadOptions;
import io.rge.data.mmeb.RowStream;
import io.rge.data.mmeb.TrainRow;
import io.rge.data.rationale.OracleRationaleStore;
import io.rge.data.rationale.RationaleFiles;
import io.rge.data.synth.SynthLayout;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * Reads every dataset under a root (MMEB-eval, MMEB-train or an RGE-Synth folder; the format of
 * each dataset folder is told by its columns) and reports rows, candidates, images and rationale
 * coverage, collecting structural errors instead of stopping at the first. Reads only; never writes
 * to the inspected folders.
 */
public final class DatasetInspector {
  /** Errors listed per dataset before the rest are only counted. */
  static final int ERRORS_PER_DATASET = 20;

  private final ImageStore images;
  private final Path rationaleDir;
  private final boolean decodeImages;

  /**
   * @param images store to check image references against, or null to skip
   * @param rationaleDir folder of {@code <Subset>.jsonl} rationale files, or null
   * @param decodeImages also decode every found image (slow; finds corrupt files and pixel bombs)
   */
  public DatasetInspector(ImageStore images, Path rationaleDir, boolean decodeImages) {
    this.images = images;
    this.rationaleDir = rationaleDir;
    this.decodeImages = decodeImages;
  }

  /** Whether {@code root} is an RGE-Synth folder (has {@code synth.json}). */
  public static boolean isSynth(Path root) {
    return Files.isRegularFile(new SynthLayout(root).manifest());
  }

  /** Inspects every dataset folder under {@code root}. */
  public InspectReport inspect(Path root) {
    List<String> errors = new ArrayList<>();
    List<InspectReport.DatasetReport> reports = new ArrayList<>();
    Set<String> formats = new TreeSet<>();
    if (!Files.isDirectory(root)) {
      errors.add("root folder not found: " + root);
    } else if (isSynth(root)) {
      SynthLayout layout = new SynthLayout(root);
      for (Path section : List.of(layout.trainRoot(), layout.evalRoot(), layout.evalSeenRoot())) {
        if (!Files.isDirectory(section)) {
          errors.add("RGE-Synth folder " + root + " lacks " + root.relativize(section));
          continue;
        }
        inspectFolders(root, section, reports, errors, formats);
      }
      formats.clear();
      formats.add("rge-synth");
    } else {
      inspectFolders(root, root, reports, errors, formats);
      if (reports.isEmpty() && errors.isEmpty()) {
        errors.add("no dataset folder with parquet files under " + root);
      }
    }
    String kind =
        formats.size() == 1
            ? (formats.contains("rge-synth") ? "rge-synth" : "mmeb-" + formats.iterator().next())
            : formats.isEmpty() ? "unknown" : "mixed";
    return new InspectReport(
        root.toString(),
        kind,
        images == null ? null : images.describe(),
        rationaleDir == null ? null : rationaleDir.toString(),
        reports,
        errors.size(),
        errors);
  }

  private void inspectFolders(
      Path root,
      Path parent,
      List<InspectReport.DatasetReport> reports,
      List<String> errors,
      Set<String> formats) {
    for (Path folder : subfolders(parent)) {
      String name = root.relativize(folder).toString().replace('\\', '/');
      for (String split : splits(folder)) {
        List<Path> files =
            MmebTrainReader.subsetFiles(folder.getParent(), folder.getFileName().toString(), split);
        List<String> datasetErrors = new ArrayList<>();
        long[] errorCount = {0};
        InspectReport.DatasetReport report;
        try {
          String format = detectFormat(files.get(0));
          formats.add(format);
          report =
              format.equals("eval")
                  ? inspectEval(name, files, datasetErrors, errorCount)
                  : inspectTrain(name, folder, split, files, datasetErrors, errorCount);
        } catch (RgeDataException e) {
          note(datasetErrors, errorCount, e.getMessage());
          report =
              new InspectReport.DatasetReport(
                  name, null, split, files.size(), 0, null, null, null, null, errorCount[0]);
        }
        errors.addAll(datasetErrors);
        if (errorCount[0] > datasetErrors.size()) {
          errors.add(
              name + ": " + (errorCount[0] - datasetErrors.size()) + " more errors not listed");
        }
        reports.add(report);
      }
    }
  }

  private InspectReport.DatasetReport inspectEval(
      String name, List<Path> files, List<String> errors, long[] errorCount) {
    ImageTally tally = new ImageTally();
    long rows = 0;
    int min = Integer.MAX_VALUE;
    int max = 0;
    ReadOptions options = ReadOptions.defaults().withoutPlaceholderCheck();
    try (RowStream<EvalRow> stream = MmebEvalReader.open(name, files, options)) {
      while (stream.hasNext()) {
        EvalRow row;
        try {
          row = stream.next();
        } catch (RgeDataException e) {
          note(errors, errorCount, e.getMessage());
          rows++;
          continue;
        }
        rows++;
        min = Math.min(min, row.candidateCount());
        max = Math.max(max, row.candidateCount());
        check(errors, errorCount, () -> checkEvalPlaceholders(row));
        for (String path : row.imagePaths()) {
          tally.reference(name, row.row(), path, errors, errorCount);
        }
      }
    }
    return new InspectReport.DatasetReport(
        name,
        "eval",
        MmebEvalReader.SPLIT,
        files.size(),
        rows,
        rows == 0 ? null : new InspectReport.Range(min, max),
        null,
        tally.counts(name, errors, errorCount),
        null,
        errorCount[0]);
  }

  private InspectReport.DatasetReport inspectTrain(
      String name,
      Path folder,
      String split,
      List<Path> files,
      List<String> errors,
      long[] errorCount) {
    String subset = folder.getFileName().toString();
    OracleRationaleStore rationales = null;
    InspectReport.RationaleCounts coverage = null;
    if (rationaleDir != null) {
      Path file = RationaleFiles.locate(rationaleDir, subset, split).orElse(null);
      if (file != null) {
        try {
          rationales = OracleRationaleStore.load(file, MmebTrainReader.countRows(files));
          coverage =
              new InspectReport.RationaleCounts(
                  file.toString(),
                  rationales.coverage().covered(),
                  rationales.coverage().rows(),
                  rationales.coverage().fraction());
        } catch (RgeDataException e) {
          note(errors, errorCount, e.getMessage());
        }
      }
    }
    ImageTally tally = new ImageTally();
    long rows = 0;
    long negatives = 0;
    ReadOptions options = ReadOptions.defaults().withoutPlaceholderCheck();
    try (RowStream<TrainRow> stream = MmebTrainReader.open(subset, split, files, options)) {
      while (stream.hasNext()) {
        TrainRow row;
        try {
          row = stream.next();
        } catch (RgeDataException e) {
          note(errors, errorCount, e.getMessage());
          rows++;
          continue;
        }
        rows++;
        if (row.hasHardNegative()) {
          negatives++;
        }
        check(errors, errorCount, () -> checkTrainPlaceholders(name, row));
        if (rationales != null) {
          OracleRationaleStore store = rationales;
          check(errors, errorCount, () -> store.attach(row));
        }
        for (String path : row.imagePaths()) {
          tally.reference(name, row.row(), path, errors, errorCount);
        }
      }
    }
    return new InspectReport.DatasetReport(
        name,
        "train",
        split,
        files.size(),
        rows,
        null,
        negatives,
        tally.counts(name, errors, errorCount),
        coverage,
        errorCount[0]);
  }

  private static void checkEvalPlaceholders(EvalRow row) {
    ImagePlaceholder.check(row.dataset(), row.row(), "qry_text", row.qryText(), row.qryImagePath());
    for (int i = 0; i < row.candidateCount(); i++) {
      ImagePlaceholder.check(
          row.dataset(),
          row.row(),
          "tgt_text",
          i,
          row.candidateTexts().get(i),
          row.candidateImagePaths().get(i));
    }
  }

  private static void checkTrainPlaceholders(String name, TrainRow row) {
    ImagePlaceholder.check(name, row.row(), "qry", row.qry(), row.qryImagePath());
    ImagePlaceholder.check(name, row.row(), "pos_text", row.posText(), row.posImagePath());
    if (row.hasHardNegative()) {
      ImagePlaceholder.check(name, row.row(), "neg_text", row.negText(), row.negImagePath());
    }
  }

  private static void check(List<String> errors, long[] errorCount, Runnable check) {
    try {
      check.run();
    } catch (RgeDataException e) {
      note(errors, errorCount, e.getMessage());
    }
  }

  private static void note(List<String> errors, long[] errorCount, String message) {
    errorCount[0]++;
    if (errors.size() < ERRORS_PER_DATASET) {
      errors.add(message);
    }
  }

  /** "eval" or "train", from the first file's columns. */
  private static String detectFormat(Path file) {
    Set<String> columns = new HashSet<>();
    try (Connection connection = DuckDb.open();
        Statement statement = connection.createStatement();
        ResultSet rs =
            statement.executeQuery(
                "DESCRIBE SELECT * FROM read_parquet(" + DuckDb.literal(file) + ")")) {
      while (rs.next()) {
        columns.add(rs.getString("column_name"));
      }
    } catch (SQLException e) {
      throw new RgeDataException(file + ": not a readable parquet file: " + DuckDb.message(e), e);
    }
    if (columns.contains("qry_text") || columns.contains("tgt_text")) {
      return "eval";
    }
    if (columns.contains("qry") || columns.contains("pos_text")) {
      return "train";
    }
    throw new RgeDataException(
        file
            + ": columns "
            + columns
            + " are neither MMEB-eval (qry_text, qry_img_path, tgt_text, tgt_img_path) nor MMEB-train (qry,"
            + " qry_image_path, pos_text, pos_image_path)");
  }

  private static List<Path> subfolders(Path parent) {
    try (Stream<Path> entries = Files.list(parent)) {
      return entries.filter(Files::isDirectory).filter(d -> !splits(d).isEmpty()).sorted().toList();
    } catch (IOException e) {
      throw new RgeDataException("cannot list " + parent + ": " + e.getMessage(), e);
    }
  }

  /** Split prefixes of {@code <split>-*.parquet} files in the folder, sorted. */
  private static Set<String> splits(Path folder) {
    Set<String> splits = new TreeSet<>();
    try (Stream<Path> entries = Files.list(folder)) {
      entries
          .map(p -> p.getFileName().toString())
          .filter(n -> n.endsWith(".parquet") && n.indexOf('-') > 0)
          .forEach(n -> splits.add(n.substring(0, n.indexOf('-'))));
    } catch (IOException e) {
      throw new RgeDataException("cannot list " + folder + ": " + e.getMessage(), e);
    }
    return splits;
  }

  /** Distinct image paths of one dataset and their presence in the store. */
  private final class ImageTally {
    private final Set<String> referenced = new LinkedHashSet<>();

    void reference(String dataset, long row, String path, List<String> errors, long[] errorCount) {
      try {
        referenced.add(ImagePaths.normalise(path));
      } catch (UnsafeImagePathException e) {
        note(errors, errorCount, "dataset " + dataset + ", row " + row + ": " + e.getMessage());
      }
    }

    InspectReport.ImageCounts counts(String dataset, List<String> errors, long[] errorCount) {
      if (images == null) {
        return null;
      }
      long found = 0;
      long failures = 0;
      List<String> missing = new ArrayList<>();
      for (String path : referenced) {
        if (!images.contains(path)) {
          missing.add(path);
          continue;
        }
        found++;
        if (decodeImages) {
          try {
            images.load(path);
          } catch (RgeDataException e) {
            failures++;
            note(errors, errorCount, "dataset " + dataset + ": " + e.getMessage());
          }
        }
      }
      if (!missing.isEmpty()) {
        note(
            errors,
            errorCount,
            "dataset "
                + dataset
                + ": "
                + missing.size()
                + " of "
                + referenced.size()
                + " referenced images missing from "
                + images.describe()
                + ", e.g. "
                + missing.subList(0, Math.min(3, missing.size())));
      }
      return new InspectReport.ImageCounts(
          referenced.size(), found, missing.size(), decodeImages ? failures : null);
    }
  }
}
