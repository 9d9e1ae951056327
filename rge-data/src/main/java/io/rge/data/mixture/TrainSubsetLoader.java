package io.rge.data.mixture;

import io.rge.data.RgeDataException;
import io.rge.data.images.ImageAvailability;
import io.rge.data.images.ImageStore;
import io.rge.data.images.MissingImagePolicy;
import io.rge.data.mmeb.MmebTrainReader;
import io.rge.data.mmeb.ReadOptions;
import io.rge.data.mmeb.RowStream;
import io.rge.data.mmeb.TrainRow;
import io.rge.data.rationale.MissingRationalePolicy;
import io.rge.data.rationale.OracleRationaleStore;
import io.rge.data.rationale.RationaleCoverage;
import io.rge.data.rationale.RationaleFiles;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads MMEB-train subsets into memory for a {@link TrainingMixture}: the first {@code cap} rows,
 * oracle rationales attached (checked against each row's {@code qry}), rows without one dropped or
 * kept for the contrastive loss only, rows with missing images failed on or skipped.
 */
public final class TrainSubsetLoader {
  private static final Logger LOG = LoggerFactory.getLogger(TrainSubsetLoader.class);

  private final Path trainRoot;
  private final Path rationaleDir;
  private final ImageStore images;
  private final MissingImagePolicy imagePolicy;
  private final MissingRationalePolicy rationalePolicy;

  /**
   * @param trainRoot the MMEB-train root ({@code <root>/<Subset>/<split>-*.parquet})
   * @param rationaleDir folder of {@code <Subset>.jsonl} files, or null to train without oracle
   *     rationales (every row then counts as contrastive-only)
   * @param images image store to check rows against, or null to skip the check
   */
  public TrainSubsetLoader(
      Path trainRoot,
      Path rationaleDir,
      ImageStore images,
      MissingImagePolicy imagePolicy,
      MissingRationalePolicy rationalePolicy) {
    this.trainRoot = trainRoot;
    this.rationaleDir = rationaleDir;
    this.images = images;
    this.imagePolicy = imagePolicy;
    this.rationalePolicy = rationalePolicy;
  }

  /**
   * Loads one subset.
   *
   * @throws RgeDataException when files are missing or malformed (see the readers and {@link
   *     OracleRationaleStore})
   */
  public LoadedSubset load(SubsetSpec spec) {
    List<Path> files = MmebTrainReader.subsetFiles(trainRoot, spec.name(), spec.split());
    OracleRationaleStore rationales = null;
    if (rationaleDir != null) {
      Path file =
          RationaleFiles.locate(rationaleDir, spec.name(), spec.split())
              .orElseThrow(
                  () ->
                      new RgeDataException(
                          "no rationale file for subset "
                              + spec.name()
                              + " in "
                              + rationaleDir
                              + " (expected "
                              + spec.name()
                              + ".jsonl)"));
      rationales = OracleRationaleStore.load(file, MmebTrainReader.countRows(files));
    }
    ImageAvailability availability =
        images == null ? null : new ImageAvailability(images, imagePolicy);
    List<TrainRow> kept = new ArrayList<>();
    long read = 0;
    long dropped = 0;
    long contrastiveOnly = 0;
    try (RowStream<TrainRow> rows =
        MmebTrainReader.open(spec.name(), spec.split(), files, ReadOptions.defaults())) {
      while (read < spec.cap() && rows.hasNext()) {
        TrainRow row = rows.next();
        read++;
        if (rationales != null) {
          row = rationales.attach(row);
        }
        if (row.rationale() == null
            && rationales != null
            && rationalePolicy == MissingRationalePolicy.DROP) {
          dropped++;
          continue;
        }
        if (availability != null
            && !availability.admit(spec.name() + "/" + spec.split(), row.row(), row.imagePaths())) {
          continue;
        }
        if (row.rationale() == null) {
          contrastiveOnly++;
        }
        kept.add(row);
      }
    }
    RationaleCoverage coverage = rationales == null ? null : rationales.coverage();
    long skipped = availability == null ? 0 : availability.skippedRows();
    LoadedSubset loaded =
        new LoadedSubset(spec, kept, read, coverage, dropped, contrastiveOnly, skipped);
    LOG.info(
        "{}/{}: kept {} of {} rows read (rationale coverage {}, dropped {} without rationale, {} contrastive-only,"
            + " {} skipped for missing images)",
        spec.name(),
        spec.split(),
        kept.size(),
        read,
        coverage == null ? "n/a" : String.format("%.3f", coverage.fraction()),
        dropped,
        contrastiveOnly,
        skipped);
    if (availability != null && skipped > 0) {
      LOG.warn(availability.summary());
    }
    return loaded;
  }
}
