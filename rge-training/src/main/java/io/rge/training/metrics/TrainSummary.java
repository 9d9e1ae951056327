package io.rge.training.metrics;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.rge.core.files.AtomicFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Function;

/**
 * {@code summary.json}: how a run went. Losses are over non-skipped steps; "first" is the first
 * such step of the whole run, "final" the last, "mean" the mean over all of them (a term that never
 * ran is null).
 *
 * @param mode the objective mode
 * @param steps optimizer steps done (whole run, resumed parts included)
 * @param totalSteps steps the schedule plans
 * @param stepsThisRun steps this invocation made
 * @param seconds training time of the whole run (excluding start-up and checkpoint writing)
 * @param skippedSteps steps whose update was skipped for a non-finite loss or gradient
 * @param checkpoint the last checkpoint written, or null
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record TrainSummary(
    String mode,
    long steps,
    long totalSteps,
    long stepsThisRun,
    double seconds,
    long skippedSteps,
    Double firstTotal,
    Double firstLm,
    Double firstContrastive,
    Double finalTotal,
    Double finalLm,
    Double finalContrastive,
    Double meanTotal,
    Double meanLm,
    Double meanContrastive,
    String checkpoint) {

  /** Summarises {@code history}. */
  public static TrainSummary of(
      String mode,
      List<StepMetrics> history,
      long totalSteps,
      long stepsThisRun,
      double seconds,
      long skippedSteps,
      Path checkpoint) {
    long steps = history.isEmpty() ? 0 : history.get(history.size() - 1).step();
    return new TrainSummary(
        mode,
        steps,
        totalSteps,
        stepsThisRun,
        seconds,
        skippedSteps,
        first(history, StepMetrics::total),
        first(history, StepMetrics::lm),
        first(history, StepMetrics::contrastive),
        last(history, StepMetrics::total),
        last(history, StepMetrics::lm),
        last(history, StepMetrics::contrastive),
        mean(history, StepMetrics::total),
        mean(history, StepMetrics::lm),
        mean(history, StepMetrics::contrastive),
        checkpoint == null ? null : checkpoint.toString());
  }

  private static Double first(List<StepMetrics> history, Function<StepMetrics, Double> value) {
    for (StepMetrics m : history) {
      if (!m.skipped() && value.apply(m) != null) {
        return value.apply(m);
      }
    }
    return null;
  }

  private static Double last(List<StepMetrics> history, Function<StepMetrics, Double> value) {
    for (int i = history.size() - 1; i >= 0; i--) {
      StepMetrics m = history.get(i);
      if (!m.skipped() && value.apply(m) != null) {
        return value.apply(m);
      }
    }
    return null;
  }

  private static Double mean(List<StepMetrics> history, Function<StepMetrics, Double> value) {
    double sum = 0;
    int n = 0;
    for (StepMetrics m : history) {
      Double v = value.apply(m);
      if (!m.skipped() && v != null) {
        sum += v;
        n++;
      }
    }
    return n == 0 ? null : sum / n;
  }

  /** The summary as indented JSON. */
  public String toJson() {
    try {
      return MetricsLog.JSON
          .writer()
          .with(SerializationFeature.INDENT_OUTPUT)
          .writeValueAsString(this);
    } catch (IOException e) {
      throw new IllegalStateException("cannot serialise the summary", e);
    }
  }

  /** Writes {@link #toJson()} to {@code file} through a temporary file and a rename. */
  public void write(Path file) throws IOException {
    AtomicFiles.write(file, (toJson() + "\n").getBytes(StandardCharsets.UTF_8));
  }
}
