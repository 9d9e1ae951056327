package io.rge.eval;

import io.rge.data.RgeDataException;
import io.rge.data.images.ImageAvailability;
import io.rge.data.images.ImageStore;
import io.rge.data.images.MissingImagePolicy;
import io.rge.data.images.UnsafeImagePathException;
import io.rge.data.mmeb.EvalRow;
import io.rge.data.mmeb.MmebEvalReader;
import io.rge.data.mmeb.ReadOptions;
import io.rge.data.mmeb.RowStream;
import io.rge.eval.prompt.PromptSet;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads a dataset's rows, applies the prompt set, drops rows with missing images (or fails, per the
 * policy) and interns identical (text, image) items, so each is embedded once per dataset. Rows are
 * streamed; only the distinct items and the index arrays are kept.
 */
final class DatasetPlanner {
  private static final Logger LOG = LoggerFactory.getLogger(DatasetPlanner.class);

  private DatasetPlanner() {}

  static DatasetPlan plan(
      Path root, String dataset, PromptSet prompts, ImageStore images, MissingImagePolicy policy) {
    List<Path> files = MmebEvalReader.datasetFiles(root, dataset);
    Interner queries = new Interner();
    Interner candidates = new Interner();
    List<PlannedRow> rows = new ArrayList<>();
    ImageAvailability availability = new ImageAvailability(images, policy);
    long total = 0;
    long unmatched = 0;
    try (RowStream<EvalRow> stream = MmebEvalReader.open(dataset, files, ReadOptions.defaults())) {
      while (stream.hasNext()) {
        EvalRow row = stream.next();
        total++;
        boolean admitted;
        try {
          admitted = availability.admit(dataset, row.row(), row.imagePaths());
        } catch (UnsafeImagePathException e) {
          throw new RgeDataException(
              stream.currentFile()
                  + ", dataset "
                  + dataset
                  + " row "
                  + row.row()
                  + ": "
                  + e.getMessage(),
              e);
        }
        if (!admitted) {
          continue;
        }
        unmatched += prompts.queryUnmatched(dataset, row.qryText()) ? 1 : 0;
        int query =
            queries.intern(new EvalItem(prompts.query(dataset, row.qryText()), row.qryImagePath()));
        int[] cands = new int[row.candidateCount()];
        for (int i = 0; i < cands.length; i++) {
          cands[i] =
              candidates.intern(
                  new EvalItem(
                      prompts.candidate(dataset, row.candidateTexts().get(i)),
                      row.candidateImagePaths().get(i)));
        }
        rows.add(new PlannedRow(row.row(), query, cands));
      }
    }
    if (unmatched > 0) {
      LOG.warn(
          "{}: {} of {} query texts do not start with the instruction prompt set {} replaces;"
              + " its instruction was inserted before them instead",
          dataset,
          unmatched,
          total,
          prompts.id());
    }
    return new DatasetPlan(
        dataset,
        files,
        queries.items,
        candidates.items,
        rows,
        total,
        availability.skippedRows(),
        availability.missingImages());
  }

  /** Gives equal items one index. */
  private static final class Interner {
    final List<EvalItem> items = new ArrayList<>();
    final Map<EvalItem, Integer> index = new HashMap<>();

    int intern(EvalItem item) {
      Integer i = index.get(item);
      if (i != null) {
        return i;
      }
      index.put(item, items.size());
      items.add(item);
      return items.size() - 1;
    }
  }
}
