package io.rge.training.rationales;

import com.fasterxml.jackson.databind.JsonNode;
import io.rge.core.files.FolderLock;
import io.rge.core.generation.GenerationRequest;
import io.rge.core.progress.ProgressListener;
import io.rge.data.RgeDataException;
import io.rge.data.images.ImageNotFoundException;
import io.rge.data.images.ImageStore;
import io.rge.data.images.MissingImagePolicy;
import io.rge.data.mmeb.MmebTrainReader;
import io.rge.data.mmeb.ReadOptions;
import io.rge.data.mmeb.RowStream;
import io.rge.data.mmeb.TrainRow;
import io.rge.training.data.ExampleFactory;
import io.rge.training.objective.TrainExample;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Curates oracle rationales for MMEB-train subsets with a teacher model: each row's query and
 * positive target go into the teacher's prompt, its greedy answer through the {@link
 * RationaleFilters}, and the result is appended to the subset's rationale file (kept) or rejected
 * file (dropped, with the reason). Both files are {@link AppendOnlyJsonl}: a rerun skips every row
 * already in either and redoes a torn last line, so an interrupted run resumed gives the rows of an
 * uninterrupted one.
 *
 * <p>Rows are generated in fixed windows of {@code batch_size} consecutive row indices (only the
 * window's rows not yet done), so a resumed run batches rows as the uninterrupted run did.
 */
public final class RationaleCurator {
  private static final Logger LOG = LoggerFactory.getLogger(RationaleCurator.class);

  private final TeacherGenerator teacher;
  private final CurationConfig config;
  private final TeacherPrompt prompt;
  private final RationaleFilters filters;
  private final ExampleFactory examples;
  private final MissingImagePolicy missingImages;
  private final ProgressListener progress;

  /**
   * @param images where the rows' images are, or null when the data has none
   * @param missingImages FAIL stops at a missing image; SKIP_ROW leaves the row undone and counts
   *     it
   */
  public RationaleCurator(
      TeacherGenerator teacher,
      CurationConfig config,
      ImageStore images,
      MissingImagePolicy missingImages,
      ProgressListener progress) {
    this.teacher = teacher;
    this.config = config;
    this.prompt = new TeacherPrompt(config, teacher.prompts(), teacher.imageProcessor());
    this.filters = new RationaleFilters(config, teacher::tokenCount, teacher.prompts());
    this.examples = new ExampleFactory(images, false);
    this.missingImages = missingImages;
    this.progress = progress;
  }

  /** Curates one subset split, resuming what its output files already hold; returns its stats. */
  public CurationStats curate(CurationTarget target) throws IOException {
    List<Path> parquet =
        MmebTrainReader.subsetFiles(target.trainRoot(), target.subset(), target.split());
    long rows = Math.min(target.limit(), MmebTrainReader.countRows(parquet));
    CurationFiles files = CurationFiles.of(target.outDir(), target.subset(), target.split());
    CurationStats.Generation earlier = CurationStats.earlierGeneration(files.stats());
    SubsetTally tally = new SubsetTally(rows, earlier.tokens(), earlier.seconds());
    // The output folder is this curation's until it ends: a second one would append the same
    // rows to the same files.
    try (FolderLock lock = FolderLock.acquire(target.outDir(), "a rationale curation");
        AppendOnlyJsonl kept =
            AppendOnlyJsonl.open(
                files.rationales(),
                line ->
                    tally.written(
                        id(files.rationales(), line),
                        teacher.tokenCount(line.path("rationale").asText())));
        AppendOnlyJsonl rejected =
            AppendOnlyJsonl.open(
                files.rejected(),
                line ->
                    tally.rejected(id(files.rejected(), line), reason(files.rejected(), line)));
        RowStream<TrainRow> stream =
            MmebTrainReader.open(target.subset(), target.split(), parquet, ReadOptions.defaults());
        ProgressListener.Task task =
            progress.start(
                "rationales " + target.subset(), "rows", rows, Math.min(rows, tally.doneRows()))) {
      Session session = new Session(target, files, tally, kept, rejected, task);
      List<TrainRow> window = new ArrayList<>();
      long windowIndex = -1;
      while (stream.hasNext()) {
        TrainRow row = stream.next();
        if (row.row() >= rows) {
          break;
        }
        long index = row.row() / config.batchSize();
        if (index != windowIndex) {
          session.run(window);
          window.clear();
          windowIndex = index;
        }
        if (!tally.isDone(row.row())) {
          window.add(row);
        }
      }
      session.run(window);
      CurationStats stats = tally.stats(target.subset(), target.split());
      stats.write(files.stats());
      return stats;
    }
  }

  /** One subset's run: generates, filters and appends window by window. */
  private final class Session {
    private final CurationTarget target;
    private final CurationFiles files;
    private final SubsetTally tally;
    private final AppendOnlyJsonl kept;
    private final AppendOnlyJsonl rejected;
    private final ProgressListener.Task task;

    Session(
        CurationTarget target,
        CurationFiles files,
        SubsetTally tally,
        AppendOnlyJsonl kept,
        AppendOnlyJsonl rejected,
        ProgressListener.Task task) {
      this.target = target;
      this.files = files;
      this.tally = tally;
      this.kept = kept;
      this.rejected = rejected;
      this.task = task;
    }

    void run(List<TrainRow> window) throws IOException {
      if (window.isEmpty()) {
        return;
      }
      List<TrainRow> rows = new ArrayList<>(window.size());
      List<GenerationRequest> requests = new ArrayList<>(window.size());
      for (TrainRow row : window) {
        GenerationRequest request = request(row);
        if (request != null) {
          rows.add(row);
          requests.add(request);
        }
      }
      long start = System.nanoTime();
      List<TeacherOutput> outputs =
          requests.isEmpty()
              ? List.of()
              : teacher.generate(requests, config.maxNewTokens(), config.batchSize());
      double seconds = (System.nanoTime() - start) / 1e9;
      List<Map<String, Object>> keptLines = new ArrayList<>();
      List<Map<String, Object>> rejectedLines = new ArrayList<>();
      long tokens = 0;
      for (int i = 0; i < rows.size(); i++) {
        TrainRow row = rows.get(i);
        TeacherOutput output = outputs.get(i);
        tokens += output.tokens();
        Verdict verdict = filters.judge(output, row.posText());
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("id", row.row());
        if (verdict.kept()) {
          line.put("rationale", verdict.rationale());
          line.put("qry", row.qry());
          keptLines.add(line);
          tally.written(row.row(), teacher.tokenCount(verdict.rationale()));
        } else {
          line.put("reason", verdict.reason().id());
          line.put("output", output.text());
          rejectedLines.add(line);
          tally.rejected(row.row(), verdict.reason());
        }
      }
      kept.append(keptLines);
      rejected.append(rejectedLines);
      tally.generated(tokens, seconds);
      tally.stats(target.subset(), target.split()).write(files.stats());
      task.stepBy(window.size());
      task.status(
          String.format(
              Locale.ROOT,
              "written %d, filtered %d, %.0f tok/s",
              tally.writtenCount(),
              tally.filteredCount(),
              tally.generationSeconds() > 0
                  ? tally.generatedTokens() / tally.generationSeconds()
                  : 0.0));
    }

    /** The row's prompt, or null when an image is missing and such rows are skipped. */
    private GenerationRequest request(TrainRow row) {
      try {
        TrainExample example = examples.toExample(row);
        return prompt.request(row, example.query().image(), example.target().image());
      } catch (ImageNotFoundException e) {
        if (missingImages == MissingImagePolicy.FAIL) {
          throw e;
        }
        LOG.warn(
            "{}/{} row {}: {}; skipped",
            target.subset(),
            target.split(),
            row.row(),
            e.getMessage());
        tally.skippedMissingImage();
        return null;
      }
    }
  }

  private static long id(Path file, JsonNode line) {
    JsonNode id = line.get("id");
    if (id == null || !id.canConvertToLong() || !id.isIntegralNumber() || id.asLong() < 0) {
      throw new RgeDataException(file + ": a line has no non-negative integer \"id\": " + line);
    }
    return id.asLong();
  }

  private static FilterReason reason(Path file, JsonNode line) {
    String text = line.path("reason").asText("");
    for (FilterReason r : FilterReason.values()) {
      if (r.id().equals(text)) {
        return r;
      }
    }
    throw new RgeDataException(file + ": unknown reason '" + text + "' in line " + line);
  }
}
