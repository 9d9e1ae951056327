package io.rge.training;

import io.rge.training.metrics.StepMetrics;
import io.rge.training.metrics.TrainSummary;
import java.nio.file.Path;
import java.util.List;

/**
 * What a {@link Trainer#run()} produced.
 *
 * @param output the run folder
 * @param finalCheckpoint the last checkpoint: a model folder {@code RgeModel.load} (and
 *     transformers) can open
 * @param metrics every step of the run so far, resumed parts included
 * @param summary the same as {@code summary.json}
 * @param finished whether the schedule's last step was reached (false when stopped early on
 *     request)
 */
public record TrainResult(
    Path output,
    Path finalCheckpoint,
    List<StepMetrics> metrics,
    TrainSummary summary,
    boolean finished) {
  public TrainResult {
    metrics = List.copyOf(metrics);
  }
}
