package io.rge.training.checkpoint;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.rge.data.mixture.MixturePosition;
import io.rge.training.metrics.StepMetrics;
import io.rge.training.precision.LossScale;
import java.util.List;

/**
 * {@code trainer_state.json}: everything besides the weights and moments that a resumed run needs
 * to continue exactly where the checkpoint was taken.
 *
 * <p>There is no stateful random generator to save: the model is initialised from {@code seed}, the
 * data order is a function of {@code seed} and the epoch ({@link
 * io.rge.data.mixture.TrainingMixture}), generation is greedy, and each step re-seeds the engine
 * from {@code seed} and its step number before it runs, so (seed, step) is the whole random state.
 *
 * @param format always {@value #FORMAT}
 * @param version format version ({@value #VERSION})
 * @param step optimizer steps done (skipped ones included); the schedule's position
 * @param optimizerUpdates updates AdamW has made (its bias-correction count t)
 * @param mixture position of the next micro-batch
 * @param seed the run's seed
 * @param skippedSteps steps skipped for a non-finite loss or gradient so far
 * @param consecutiveSkips of those, how many in a row end at {@code step}
 * @param trainingSeconds training time so far
 * @param history every step's metrics so far (for the plot and summary of a resumed run)
 * @param lossScale fp16's dynamic loss scale and its clean-step count ({@link LossScale#none()} for
 *     fp32 and bf16, and in states written before it existed)
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record TrainerState(
    String format,
    int version,
    long step,
    long optimizerUpdates,
    MixturePosition mixture,
    long seed,
    long skippedSteps,
    int consecutiveSkips,
    double trainingSeconds,
    List<StepMetrics> history,
    LossScale lossScale) {
  public static final String FORMAT = "rge-trainer-state";
  public static final int VERSION = 1;

  public TrainerState {
    if (!FORMAT.equals(format) || version != VERSION) {
      throw new IllegalArgumentException(
          "not an RGE trainer state (format '"
              + format
              + "' version "
              + version
              + "; expected '"
              + FORMAT
              + "' version "
              + VERSION
              + ")");
    }
    if (step < 0 || optimizerUpdates < 0 || optimizerUpdates > step) {
      throw new IllegalArgumentException(
          "inconsistent counters: step " + step + ", optimizer updates " + optimizerUpdates);
    }
    if (mixture == null) {
      throw new IllegalArgumentException("mixture position is missing");
    }
    history = history == null ? List.of() : List.copyOf(history);
    lossScale = lossScale == null ? LossScale.none() : lossScale;
    if (history.size() != step) {
      throw new IllegalArgumentException(
          "history has " + history.size() + " steps but the state is at step " + step);
    }
  }

  public static TrainerState of(
      long step,
      long optimizerUpdates,
      MixturePosition mixture,
      long seed,
      long skippedSteps,
      int consecutiveSkips,
      double trainingSeconds,
      List<StepMetrics> history,
      LossScale lossScale) {
    return new TrainerState(
        FORMAT,
        VERSION,
        step,
        optimizerUpdates,
        mixture,
        seed,
        skippedSteps,
        consecutiveSkips,
        trainingSeconds,
        history,
        lossScale);
  }
}
