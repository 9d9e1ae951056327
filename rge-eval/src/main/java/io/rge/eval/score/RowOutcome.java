package io.rge.eval.score;

import io.rge.core.Cosine;
import java.util.List;

/**
 * How one query ranked its own candidates (MMEB protocol: candidate 0 is the positive).
 *
 * <p>The prediction is the candidate with the highest cosine similarity; when several share the
 * highest score, the lowest index wins, so a tie at the top that includes candidate 0 counts as
 * correct. Such rows are flagged as ties so a report can say how many results hinge on
 * tie-breaking.
 *
 * @param predicted index of the winning candidate
 * @param tie whether two or more candidates share the highest score
 * @param positiveScore the similarity of candidate 0
 * @param bestOtherScore the highest similarity among candidates 1.., NaN when there are none
 * @param candidates how many candidates the row had
 */
public record RowOutcome(
    int predicted, boolean tie, double positiveScore, double bestOtherScore, int candidates) {
  public RowOutcome {
    if (candidates < 1 || predicted < 0 || predicted >= candidates) {
      throw new IllegalArgumentException(
          "predicted " + predicted + " is not an index of " + candidates + " candidates");
    }
  }

  /** Whether candidate 0 won. */
  public boolean correct() {
    return predicted == 0;
  }

  /** Score of candidate 0 minus the best other score; NaN for a single-candidate row. */
  public double margin() {
    return positiveScore - bestOtherScore;
  }

  /**
   * The outcome of a row given the similarity of the query with each candidate, in candidate order.
   */
  public static RowOutcome of(double[] scores) {
    if (scores.length == 0) {
      throw new IllegalArgumentException("a row needs at least one candidate");
    }
    int best = 0;
    int atBest = 0;
    double bestOther = Double.NaN;
    for (int i = 0; i < scores.length; i++) {
      double s = scores[i];
      if (Double.isNaN(s)) {
        throw new IllegalArgumentException("score of candidate " + i + " is NaN");
      }
      if (s > scores[best]) {
        best = i;
        atBest = 1;
      } else if (s == scores[best]) {
        atBest++;
      }
      if (i > 0 && !(s <= bestOther)) {
        bestOther = s;
      }
    }
    return new RowOutcome(best, atBest > 1, scores[0], bestOther, scores.length);
  }

  /** Scores a query vector against its candidates' vectors by cosine similarity. */
  public static RowOutcome score(float[] query, List<float[]> candidates) {
    double[] scores = new double[candidates.size()];
    double queryNorm = Cosine.norm(query);
    for (int i = 0; i < scores.length; i++) {
      float[] c = candidates.get(i);
      scores[i] = Cosine.similarity(query, queryNorm, c, Cosine.norm(c));
    }
    return of(scores);
  }
}
