package io.rge.eval.score;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class RowOutcomeTest {
  private static final double EPS = 1e-12;

  @Test
  void positiveAtIndexZeroWinsWithItsMargin() {
    // cos([3,4],[4,3]) = 24/25, cos([3,4],[0,1]) = 4/5, cos([3,4],[1,0]) = 3/5
    RowOutcome o =
        RowOutcome.score(
            new float[] {3, 4},
            List.of(new float[] {4, 3}, new float[] {0, 1}, new float[] {1, 0}));
    assertEquals(0, o.predicted());
    assertTrue(o.correct());
    assertFalse(o.tie());
    assertEquals(0.96, o.positiveScore(), EPS);
    assertEquals(0.8, o.bestOtherScore(), EPS);
    assertEquals(0.16, o.margin(), EPS);
    assertEquals(3, o.candidates());
  }

  @Test
  void aNegativeThatScoresHigherIsPredicted() {
    // Scaled vectors: cosine ignores length, so candidate 2 (same direction) wins.
    RowOutcome o =
        RowOutcome.score(
            new float[] {1, 1, 0},
            List.of(
                new float[] {1, 0, 0},
                new float[] {0, 0, 1},
                new float[] {5, 5, 0},
                new float[] {1, 0.9f, 0}));
    assertEquals(2, o.predicted());
    assertFalse(o.correct());
    assertFalse(o.tie());
    assertEquals(Math.sqrt(0.5) - 1.0, o.margin(), 1e-7);
  }

  @Test
  void aTieAtTheTopGoesToTheLowerIndex() {
    RowOutcome withPositive = RowOutcome.of(new double[] {0.5, 0.2, 0.5});
    assertEquals(0, withPositive.predicted());
    assertTrue(withPositive.correct(), "candidate 0 shares the top score: the lower index wins");
    assertTrue(withPositive.tie());
    assertEquals(0.0, withPositive.margin());

    RowOutcome without = RowOutcome.of(new double[] {0.1, 0.7, 0.3, 0.7});
    assertEquals(1, without.predicted());
    assertFalse(without.correct());
    assertTrue(without.tie());
    assertEquals(-0.6, without.margin(), EPS);

    RowOutcome belowTop = RowOutcome.of(new double[] {0.9, 0.2, 0.2});
    assertFalse(belowTop.tie(), "a tie below the top is not a tie at the top");
  }

  @Test
  void identicalCandidateVectorsTieExactly() {
    float[] c = {0.3f, -0.2f, 0.9f};
    RowOutcome o = RowOutcome.score(new float[] {0.1f, 0.4f, 0.7f}, List.of(c, c.clone()));
    assertTrue(o.tie());
    assertTrue(o.correct());
  }

  @Test
  void rowsMayHaveAnyNumberOfCandidates() {
    RowOutcome single = RowOutcome.of(new double[] {-0.4});
    assertEquals(0, single.predicted());
    assertTrue(single.correct());
    assertFalse(single.tie());
    assertTrue(Double.isNaN(single.margin()), "no other candidate, no margin");

    RowOutcome two = RowOutcome.of(new double[] {0.1, 0.2});
    assertEquals(1, two.predicted());
    assertEquals(2, two.candidates());

    double[] many = new double[1000];
    for (int i = 0; i < many.length; i++) {
      many[i] = -i / 1000.0;
    }
    many[637] = 0.5;
    RowOutcome thousand = RowOutcome.of(many);
    assertEquals(637, thousand.predicted());
    assertEquals(0.0 - 0.5, thousand.margin(), EPS);
  }

  @Test
  void zeroVectorsScoreZero() {
    RowOutcome o =
        RowOutcome.score(new float[] {0, 0}, List.of(new float[] {1, 0}, new float[] {0, 1}));
    assertEquals(0.0, o.positiveScore());
    assertTrue(o.tie(), "all scores are 0");
    assertTrue(o.correct());
  }

  @Test
  void badInputIsRejected() {
    assertThrows(IllegalArgumentException.class, () -> RowOutcome.of(new double[0]));
    assertThrows(
        IllegalArgumentException.class, () -> RowOutcome.of(new double[] {0.1, Double.NaN}));
    assertThrows(
        IllegalArgumentException.class,
        () -> RowOutcome.score(new float[] {1, 0}, List.of(new float[] {1, 0, 0})));
  }
}
