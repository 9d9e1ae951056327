package io.rge.cli.quickstart;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BaselineComparisonTest {
  /** Overall P@1 per variant, mean over seeds, on each split; set by {@link #put}. */
  private final Map<Variant, Double> heldOut = new HashMap<>();

  private final Map<Variant, Double> seen = new HashMap<>();

  private void put(Variant v, double heldOutMean, double seenMean) {
    heldOut.put(v, heldOutMean);
    seen.put(v, seenMean);
  }

  private BaselineComparison compare(List<Variant> variants) {
    return BaselineComparison.of(variants, heldOut::get, seen::get);
  }

  @Test
  void theDefaultPlanComparesRgeWithItsOneBaselineOnBothSplits() {
    put(Variant.RGE, 32, 42);
    put(Variant.BASELINE, 11, 48);
    put(Variant.ORACLE_LEAK, 90, 90);

    BaselineComparison c = compare(Variant.DEFAULTS);

    assertSame(Variant.BASELINE, c.baseline());
    assertEquals(32 - 11, c.heldOutGain(), 1e-12);
    assertEquals(42 - 48, c.seenDifference(), 1e-12);
    assertEquals(1, c.baselines());
  }

  @Test
  void withTwoBaselinesTheOneToBeatIsTheBestOnSeenCompositionsNotOnHeldOut() {
    List<Variant> pretrained = new ArrayList<>(Variant.DEFAULTS);
    pretrained.addAll(Variant.VISION_ONLY);
    put(Variant.RGE, 27, 53);
    // Better on held-out compositions, far worse on seen ones: not the one to beat.
    put(Variant.BASELINE, 14, 18);
    put(Variant.ORACLE_LEAK, 37, 57);
    put(Variant.RGE_VISION_ONLY, 35, 44);
    put(Variant.BASELINE_VISION_ONLY, 13, 49);

    BaselineComparison c = compare(pretrained);

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
      put(v, 20, 40);
    }
    put(Variant.BASELINE_AFTER_WARMUP, 5, 95);

    BaselineComparison c = compare(ablations);

    assertSame(Variant.BASELINE, c.baseline());
    assertEquals(1, c.baselines());
  }

  @Test
  void onATieTheBaselineListedFirstIsKept() {
    List<Variant> pretrained = List.of(Variant.RGE, Variant.BASELINE, Variant.BASELINE_VISION_ONLY);
    put(Variant.RGE, 30, 50);
    put(Variant.BASELINE, 10, 45);
    put(Variant.BASELINE_VISION_ONLY, 20, 45);

    assertSame(Variant.BASELINE, compare(pretrained).baseline());
  }

  @Test
  void aPlanWithoutRgeOrABaselineIsRefusedNamingItsVariants() {
    put(Variant.RGE, 30, 50);
    put(Variant.ORACLE_LEAK, 30, 50);
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> compare(List.of(Variant.RGE, Variant.ORACLE_LEAK)));
    assertTrue(
        e.getMessage().contains("no baseline among the variants [rge, oracle-leak]"),
        e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> compare(List.of(Variant.BASELINE)));
  }
}
