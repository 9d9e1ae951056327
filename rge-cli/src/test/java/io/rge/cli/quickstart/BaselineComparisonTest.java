package io.rge.cli.quickstart;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BaselineComparisonTest {
  /** seed -> mode -> scores, built up by {@link #put}. */
  private final Map<Long, Map<String, ModeScores>> scores = new LinkedHashMap<>();

  private void put(Variant v, long seed, double heldOut, double seen) {
    SplitScores held =
        new SplitScores(1300, QuickstartLayout.HELD_OUT, Map.of(), heldOut, null, Map.of());
    SplitScores seenSplit =
        new SplitScores(1300, QuickstartLayout.SEEN, Map.of(), seen, null, Map.of());
    scores
        .computeIfAbsent(seed, s -> new LinkedHashMap<>())
        .put(v.id(), new ModeScores(v.id(), seed, held, held, seenSplit));
  }

  @Test
  void theDefaultPlanComparesRgeWithItsOneBaselineOnBothSplits() {
    put(Variant.RGE, 0, 30, 40);
    put(Variant.RGE, 1, 34, 44);
    put(Variant.BASELINE, 0, 10, 50);
    put(Variant.BASELINE, 1, 12, 46);
    put(Variant.ORACLE_LEAK, 0, 90, 90);
    put(Variant.ORACLE_LEAK, 1, 90, 90);

    BaselineComparison c = BaselineComparison.of(Variant.DEFAULTS, scores);

    assertSame(Variant.BASELINE, c.baseline());
    assertEquals(32 - 11, c.heldOutGain(), 1e-12);
    assertEquals(42 - 48, c.seenDifference(), 1e-12);
    assertEquals(1, c.baselines());
  }

  @Test
  void withTwoBaselinesTheOneToBeatIsTheBestOnSeenCompositionsNotOnHeldOut() {
    List<Variant> pretrained = new ArrayList<>(Variant.DEFAULTS);
    pretrained.addAll(Variant.VISION_ONLY);
    for (long seed : new long[] {0, 1, 2}) {
      put(Variant.RGE, seed, 26 + seed, 52 + seed);
      // Better on held-out compositions, far worse on seen ones: not the one to beat.
      put(Variant.BASELINE, seed, 14, 18);
      put(Variant.ORACLE_LEAK, seed, 37, 57);
      put(Variant.RGE_VISION_ONLY, seed, 35, 44);
      put(Variant.BASELINE_VISION_ONLY, seed, 12 + seed, 49);
    }

    BaselineComparison c = BaselineComparison.of(pretrained, scores);

    assertSame(Variant.BASELINE_VISION_ONLY, c.baseline());
    assertEquals(27 - 13, c.heldOutGain(), 1e-12);
    assertEquals(53 - 49, c.seenDifference(), 1e-12);
    assertEquals(2, c.baselines());
  }

  @Test
  void theZeroToOneAblationIsARowOfTheSweepNotABaselineToBeat() {
    List<Variant> ablations = new ArrayList<>(Variant.DEFAULTS);
    ablations.addAll(Variant.ABLATIONS);
    for (Variant v : ablations) {
      put(v, 0, 20, 40);
    }
    put(Variant.BASELINE_AFTER_WARMUP, 0, 5, 95);

    BaselineComparison c = BaselineComparison.of(ablations, scores);

    assertSame(Variant.BASELINE, c.baseline());
    assertEquals(1, c.baselines());
  }

  @Test
  void onATieTheBaselineListedFirstIsKept() {
    List<Variant> pretrained = List.of(Variant.RGE, Variant.BASELINE, Variant.BASELINE_VISION_ONLY);
    put(Variant.RGE, 0, 30, 50);
    put(Variant.BASELINE, 0, 10, 45);
    put(Variant.BASELINE_VISION_ONLY, 0, 20, 45);

    assertSame(Variant.BASELINE, BaselineComparison.of(pretrained, scores).baseline());
  }

  @Test
  void aPlanWithoutRgeOrABaselineIsRefusedNamingItsVariants() {
    put(Variant.RGE, 0, 30, 50);
    put(Variant.ORACLE_LEAK, 0, 30, 50);
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> BaselineComparison.of(List.of(Variant.RGE, Variant.ORACLE_LEAK), scores));
    assertTrue(
        e.getMessage().contains("no baseline among the variants [rge, oracle-leak]"),
        e.getMessage());
    assertThrows(
        IllegalArgumentException.class,
        () -> BaselineComparison.of(List.of(Variant.BASELINE), scores));
  }
}
