package io.rge.eval.report;

import java.util.Objects;

/**
 * One row's result, a line of {@code predictions.jsonl}.
 *
 * @param dataset the dataset
 * @param row the row index in the dataset
 * @param predicted index of the highest-scoring candidate (ties: the lower index)
 * @param correct whether that is candidate 0
 * @param tie whether the highest score was shared
 * @param margin score of candidate 0 minus the best other score; null with a single candidate
 * @param candidates how many candidates the row had
 * @param rationale the query's generated rationale ("" without reasoning)
 * @param embAppended whether the rationale hit the token limit and {@code <emb>} was appended
 */
public record Prediction(
    String dataset,
    long row,
    int predicted,
    boolean correct,
    boolean tie,
    Double margin,
    int candidates,
    String rationale,
    boolean embAppended) {
  public Prediction {
    Objects.requireNonNull(dataset, "dataset");
    Objects.requireNonNull(rationale, "rationale");
    if (correct != (predicted == 0)) {
      throw new IllegalArgumentException("correct must mean predicted == 0");
    }
  }
}
