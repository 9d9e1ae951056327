package io.rge.cli.quickstart;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The quickstart's checkpoint rule on hand-picked seen-split scores. */
class QuickstartEvalJobTest {
  @Test
  void thePreviousCheckpointIsChosenOnlyWhenStrictlyBetterOnSeenCompositions() {
    assertFalse(QuickstartEvalJob.choosesPrevious(42.5, 40.0), "the last is better");
    assertTrue(QuickstartEvalJob.choosesPrevious(40.0, 42.5), "the previous is better");
    assertFalse(QuickstartEvalJob.choosesPrevious(41.25, 41.25), "a tie keeps the later one");
    assertTrue(QuickstartEvalJob.choosesPrevious(Double.NaN, 10.0), "an unscored last loses");
  }
}
