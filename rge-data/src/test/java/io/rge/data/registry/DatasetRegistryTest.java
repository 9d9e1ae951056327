package io.rge.data.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rge.data.synth.RgeSynth;
import io.rge.testfixtures.MmebDatasets;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class DatasetRegistryTest {
  private final DatasetRegistry mmeb = DatasetRegistry.mmeb();

  @Test
  void hasTheThirtySixMmebDatasetsByMetaTask() {
    assertEquals(36, mmeb.size());
    assertEquals(36, new TreeSet<>(mmeb.names()).size());
    assertEquals(10, mmeb.byMetaTask(MetaTask.CLASSIFICATION).size());
    assertEquals(10, mmeb.byMetaTask(MetaTask.VQA).size());
    assertEquals(12, mmeb.byMetaTask(MetaTask.RETRIEVAL).size());
    assertEquals(4, mmeb.byMetaTask(MetaTask.VISUAL_GROUNDING).size());
    assertEquals(Set.copyOf(MmebDatasets.IN_REPORTING_ORDER), Set.copyOf(mmeb.names()));
  }

  @Test
  void splitsTwentyInDistributionFromSixteenOutOfDistribution() {
    assertEquals(20, mmeb.byDistribution(Distribution.IND).size());
    assertEquals(
        Set.of(
            "Place365",
            "ImageNet-A",
            "ImageNet-R",
            "ObjectNet",
            "Country211",
            "ScienceQA",
            "VizWiz",
            "GQA",
            "TextVQA",
            "OVEN",
            "FashionIQ",
            "EDIS",
            "Wiki-SS-NQ",
            "Visual7W-Pointing",
            "RefCOCO",
            "RefCOCO-Matching"),
        Set.copyOf(mmeb.byDistribution(Distribution.OOD).stream().map(DatasetInfo::name).toList()));
    assertEquals("ImageNet_1K", mmeb.get("ImageNet-1K").trainSubset());
    assertEquals(MetaTask.VISUAL_GROUNDING, mmeb.get("MSCOCO").metaTask());
    assertEquals(Distribution.IND, mmeb.get("MSCOCO").distribution());
  }

  @Test
  void unknownNameListsTheKnownOnes() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> mmeb.get("ImageNet1K"));
    assertTrue(e.getMessage().contains("ImageNet-1K"), e.getMessage());
    assertTrue(mmeb.find("ImageNet1K").isEmpty());
  }

  @Test
  void synthRegistryHasTheSameShape() {
    DatasetRegistry synth = RgeSynth.registry();
    assertEquals(8, synth.size());
    for (MetaTask task : MetaTask.values()) {
      assertEquals(2, synth.byMetaTask(task).size(), task.label());
    }
    assertEquals(8, synth.byDistribution(Distribution.IND).size());
    assertEquals(List.of(), synth.byDistribution(Distribution.OOD));
  }

  @Test
  void duplicateNamesAreRejected() {
    DatasetInfo info = new DatasetInfo("A", MetaTask.VQA, Distribution.OOD, null);
    assertThrows(
        IllegalArgumentException.class, () -> new DatasetRegistry("x", List.of(info, info)));
  }
}
