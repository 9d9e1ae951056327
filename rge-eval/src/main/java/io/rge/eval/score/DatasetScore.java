package io.rge.eval.score;

import io.rge.data.registry.Distribution;
import io.rge.data.registry.MetaTask;
import java.util.Objects;

/**
 * Precision@1 of one dataset.
 *
 * @param name the dataset (registry name)
 * @param metaTask its meta-task
 * @param distribution IND or OOD, as the registry labels it
 * @param rows rows scored
 * @param correct rows whose candidate 0 won
 * @param ties rows whose highest score was shared by two or more candidates (the lower index won)
 * @param skippedRows rows left out because an image they reference is missing
 * @param missingImages image references missing in those rows
 */
public record DatasetScore(
    String name,
    MetaTask metaTask,
    Distribution distribution,
    long rows,
    long correct,
    long ties,
    long skippedRows,
    long missingImages) {
  public DatasetScore {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(metaTask, "metaTask");
    Objects.requireNonNull(distribution, "distribution");
    if (rows < 0 || correct < 0 || correct > rows || ties < 0 || ties > rows) {
      throw new IllegalArgumentException(
          name + ": inconsistent counts rows=" + rows + " correct=" + correct + " ties=" + ties);
    }
    if (skippedRows < 0 || missingImages < 0) {
      throw new IllegalArgumentException(name + ": negative skipped or missing counts");
    }
  }

  /** Whether any row was scored; a dataset with none has no Precision@1. */
  public boolean scored() {
    return rows > 0;
  }

  /** Precision@1 x 100; NaN when no row was scored. */
  public double precisionAt1() {
    return rows == 0 ? Double.NaN : 100.0 * correct / rows;
  }
}
