package io.rge.data.mixture;

import io.rge.data.mmeb.TrainRow;
import io.rge.data.rationale.RationaleCoverage;
import java.util.List;

/**
 * A subset read for training, with what happened to its rows.
 *
 * @param spec how it was asked for
 * @param rows rows kept, in file order
 * @param rowsRead rows read from parquet (at most the cap)
 * @param coverage rationale coverage over the whole subset file, or null when no rationales were
 *     given
 * @param droppedNoRationale rows left out for lack of a rationale ({@code DROP} policy)
 * @param contrastiveOnly rows kept without a rationale ({@code CONTRASTIVE_ONLY} policy or no
 *     rationale folder)
 * @param skippedMissingImage rows left out because an image was missing ({@code SKIP_ROW} policy)
 */
public record LoadedSubset(
    SubsetSpec spec,
    List<TrainRow> rows,
    long rowsRead,
    RationaleCoverage coverage,
    long droppedNoRationale,
    long contrastiveOnly,
    long skippedMissingImage) {
  public LoadedSubset {
    rows = List.copyOf(rows);
  }
}
