package io.rge.eval.report;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
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
 * @param top the best-scoring candidates, best first (at most {@link #TOP}; empty in files written
 *     before it was recorded)
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
    boolean embAppended,
    List<Ranked> top) {
  /** Candidates kept per row in {@link #top()}. */
  public static final int TOP = 5;

  /** A candidate's index in its row and its similarity with the query. */
  public record Ranked(int index, double score) {}

  public Prediction {
    top = top == null ? List.of() : List.copyOf(top);
    Objects.requireNonNull(dataset, "dataset");
    Objects.requireNonNull(rationale, "rationale");
    if (correct != (predicted == 0)) {
      throw new IllegalArgumentException("correct must mean predicted == 0");
    }
  }

  /** The {@link #TOP} highest {@code scores}, best first; equal scores: the lower index first. */
  public static List<Ranked> top(double[] scores) {
    List<Ranked> all = new ArrayList<>(scores.length);
    for (int i = 0; i < scores.length; i++) {
      all.add(new Ranked(i, scores[i]));
    }
    all.sort(Comparator.comparingDouble(Ranked::score).reversed().thenComparingInt(Ranked::index));
    return List.copyOf(all.subList(0, Math.min(TOP, all.size())));
  }
}
