package io.rge.eval.score;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rge.data.registry.DatasetInfo;
import io.rge.data.registry.DatasetRegistry;
import io.rge.data.registry.Distribution;
import io.rge.data.registry.MetaTask;
import io.rge.data.synth.RgeSynth;
import io.rge.testfixtures.MmebDatasets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ScoresTest {
  private static final double EPS = 1e-9;

  private static final Set<String> IND =
      Set.of(
          "ImageNet-1K",
          "N24News",
          "HatefulMemes",
          "VOC2007",
          "SUN397",
          "OK-VQA",
          "A-OKVQA",
          "DocVQA",
          "InfographicsVQA",
          "ChartQA",
          "Visual7W",
          "VisDial",
          "CIRR",
          "VisualNews_t2i",
          "VisualNews_i2t",
          "MSCOCO_t2i",
          "MSCOCO_i2t",
          "NIGHTS",
          "WebQA",
          "MSCOCO");

  private static final DatasetRegistry MMEB = DatasetRegistry.mmeb();

  /** Dataset i of MMEB's order gets P@1 = i (i correct of 100 rows). */
  private static List<DatasetScore> scoresByIndex(Set<String> leaveOut) {
    List<DatasetScore> out = new ArrayList<>();
    for (int i = 0; i < MmebDatasets.IN_REPORTING_ORDER.size(); i++) {
      String name = MmebDatasets.IN_REPORTING_ORDER.get(i);
      if (leaveOut.contains(name)) {
        continue;
      }
      DatasetInfo info = MMEB.get(name);
      out.add(new DatasetScore(name, info.metaTask(), info.distribution(), 100, i, 0, 0, 0));
    }
    return out;
  }

  @Test
  void aggregatesAll36AsMmebReportsThem() {
    assertEquals(MmebDatasets.IN_REPORTING_ORDER, MMEB.names());
    Scores s = Scores.aggregate(MMEB, scoresByIndex(Set.of()), Map.of());
    // Means of the indices: classification 0..9, VQA 10..19, retrieval 20..31, grounding 32..35.
    assertEquals(4.5, s.metaTasks().get(MetaTask.CLASSIFICATION).value(), EPS);
    assertEquals(14.5, s.metaTasks().get(MetaTask.VQA).value(), EPS);
    assertEquals(25.5, s.metaTasks().get(MetaTask.RETRIEVAL).value(), EPS);
    assertEquals(33.5, s.metaTasks().get(MetaTask.VISUAL_GROUNDING).value(), EPS);
    // IND indices 0-4, 10-15, 20-27, 32 sum to 305; OOD the other 16 sum to 325.
    assertEquals(305.0 / 20, s.ind().value(), EPS);
    assertEquals(325.0 / 16, s.ood().value(), EPS);
    assertEquals(17.5, s.overall().value(), EPS);
    assertEquals(20, s.ind().expected());
    assertEquals(16, s.ood().expected());
    assertEquals(36, s.overall().present());
    assertTrue(s.overall().complete());
    assertTrue(s.missing().isEmpty());
    assertNull(s.distributionNote());
    assertEquals("17.5", s.overall().cell());
    assertEquals("20.3", s.ood().cell());
    for (DatasetScore d : s.datasets()) {
      assertEquals(IND.contains(d.name()), d.distribution() == Distribution.IND, d.name());
    }
  }

  @Test
  void missingDatasetsAreListedAndNeverAveraged() {
    Map<String, String> reasons = new LinkedHashMap<>();
    reasons.put("ImageNet-A", "not in the data folder");
    reasons.put("OVEN", "not in the data folder");
    List<DatasetScore> scored = scoresByIndex(Set.of("ImageNet-A", "OVEN", "MSCOCO"));
    // MSCOCO was read but every row lacked its image.
    scored.add(
        new DatasetScore("MSCOCO", MetaTask.VISUAL_GROUNDING, Distribution.IND, 0, 0, 0, 40, 41));
    Scores s = Scores.aggregate(MMEB, scored, reasons);

    Aggregate cls = s.metaTasks().get(MetaTask.CLASSIFICATION);
    assertEquals((45.0 - 6) / 9, cls.value(), EPS, "ImageNet-A (index 6) left out");
    assertEquals(9, cls.present());
    assertEquals(10, cls.expected());
    assertEquals(List.of("ImageNet-A"), cls.missing());
    assertEquals("4.3 (9/10)", cls.cell());

    Aggregate ret = s.metaTasks().get(MetaTask.RETRIEVAL);
    assertEquals((306.0 - 28) / 11, ret.value(), EPS, "OVEN (index 28) left out");
    Aggregate vg = s.metaTasks().get(MetaTask.VISUAL_GROUNDING);
    assertEquals((33 + 34 + 35) / 3.0, vg.value(), EPS, "MSCOCO has no scored row");
    assertEquals((305.0 - 32) / 19, s.ind().value(), EPS);
    assertEquals((325.0 - 6 - 28) / 14, s.ood().value(), EPS);
    assertEquals(33, s.overall().present());
    assertEquals((630.0 - 6 - 28 - 32) / 33, s.overall().value(), EPS);
    assertFalse(s.overall().complete());

    assertEquals(List.of("ImageNet-A", "OVEN", "MSCOCO"), List.copyOf(s.missing().keySet()));
    assertEquals("not in the data folder", s.missing().get("OVEN"));
    assertTrue(s.missing().get("MSCOCO").contains("40 rows skipped"), s.missing().get("MSCOCO"));
    assertEquals(34, s.datasets().size(), "MSCOCO keeps its (empty) score");
  }

  @Test
  void onlySomeDatasetsOrNone() {
    DatasetInfo nights = MMEB.get("NIGHTS");
    Scores one =
        Scores.aggregate(
            MMEB,
            List.of(
                new DatasetScore(
                    "NIGHTS", nights.metaTask(), nights.distribution(), 3, 2, 1, 0, 0)),
            Map.of());
    assertEquals(200.0 / 3, one.metaTasks().get(MetaTask.RETRIEVAL).value(), EPS);
    assertEquals("66.7 (1/12)", one.metaTasks().get(MetaTask.RETRIEVAL).cell());
    assertNull(one.metaTasks().get(MetaTask.VQA).value());
    assertEquals("—", one.metaTasks().get(MetaTask.VQA).cell());
    assertNull(one.ood().value());
    assertEquals("not evaluated", one.missing().get("ImageNet-1K"));
    assertEquals(35, one.missing().size());

    Scores none = Scores.aggregate(MMEB, List.of(), Map.of());
    assertNull(none.overall().value());
    assertEquals(36, none.missing().size());
  }

  @Test
  void aRegistryWithoutOodHasNoIndOodAggregates() {
    DatasetRegistry synth = RgeSynth.registry();
    List<DatasetScore> scored = new ArrayList<>();
    int i = 0;
    for (DatasetInfo info : synth.datasets()) {
      scored.add(
          new DatasetScore(info.name(), info.metaTask(), info.distribution(), 10, i++, 0, 0, 0));
    }
    Scores s = Scores.aggregate(synth, scored, Map.of());
    assertFalse(s.ind().applicable());
    assertFalse(s.ood().applicable());
    assertNull(s.ind().value());
    assertEquals("n/a", s.ood().cell());
    assertTrue(s.distributionNote().contains("RGE-Synth"), s.distributionNote());
    // 8 datasets with 0..7 correct of 10: P@1 0, 10, ..., 70; overall 35.
    assertEquals(35.0, s.overall().value(), EPS);
    assertEquals(8, s.overall().expected());
    assertEquals(4, s.metaTasks().size());
  }

  @Test
  void inconsistentInputFails() {
    assertThrows(
        IllegalArgumentException.class,
        () ->
            Scores.aggregate(
                MMEB,
                List.of(new DatasetScore("NotMmeb", MetaTask.VQA, Distribution.OOD, 1, 1, 0, 0, 0)),
                Map.of()));
    assertThrows(
        IllegalArgumentException.class,
        () ->
            Scores.aggregate(
                MMEB,
                List.of(new DatasetScore("GQA", MetaTask.VQA, Distribution.IND, 1, 1, 0, 0, 0)),
                Map.of()),
        "GQA is OOD");
    DatasetScore gqa = new DatasetScore("GQA", MetaTask.VQA, Distribution.OOD, 1, 1, 0, 0, 0);
    assertThrows(
        IllegalArgumentException.class, () -> Scores.aggregate(MMEB, List.of(gqa, gqa), Map.of()));
    assertThrows(
        IllegalArgumentException.class,
        () -> new DatasetScore("GQA", MetaTask.VQA, Distribution.OOD, 2, 3, 0, 0, 0));
  }

  @Test
  void precisionIsPercent() {
    DatasetScore s = new DatasetScore("GQA", MetaTask.VQA, Distribution.OOD, 8, 3, 1, 2, 2);
    assertEquals(37.5, s.precisionAt1(), EPS);
    assertTrue(
        Double.isNaN(
            new DatasetScore("GQA", MetaTask.VQA, Distribution.OOD, 0, 0, 0, 0, 0).precisionAt1()));
  }
}
