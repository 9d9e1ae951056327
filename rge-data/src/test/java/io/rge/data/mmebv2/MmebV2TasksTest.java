package io.rge.data.mmebv2;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rge.data.registry.DatasetRegistry;
import io.rge.testfixtures.MmebDatasets;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class MmebV2TasksTest {
  // Typed from the reference's experiments/report_score_v2.py (modality2dataset), 6e1e1d4.
  private static final List<String> VIDEO =
      List.of(
          "K700",
          "SmthSmthV2",
          "HMDB51",
          "UCF101",
          "Breakfast",
          "MVBench",
          "Video-MME",
          "NExTQA",
          "EgoSchema",
          "ActivityNetQA",
          "DiDeMo",
          "MSR-VTT",
          "MSVD",
          "VATEX",
          "YouCook2",
          "QVHighlight",
          "Charades-STA",
          "MomentSeeker");
  private static final List<String> VISDOC =
      List.of(
          "ViDoRe_arxivqa",
          "ViDoRe_docvqa",
          "ViDoRe_infovqa",
          "ViDoRe_tabfquad",
          "ViDoRe_tatdqa",
          "ViDoRe_shiftproject",
          "ViDoRe_syntheticDocQA_artificial_intelligence",
          "ViDoRe_syntheticDocQA_energy",
          "ViDoRe_syntheticDocQA_government_reports",
          "ViDoRe_syntheticDocQA_healthcare_industry",
          "ViDoRe_esg_reports_human_labeled_v2",
          "ViDoRe_biomedical_lectures_v2_multilingual",
          "ViDoRe_economics_reports_v2_multilingual",
          "ViDoRe_esg_reports_v2_multilingual",
          "VisRAG_ArxivQA",
          "VisRAG_ChartQA",
          "VisRAG_MP-DocVQA",
          "VisRAG_SlideVQA",
          "VisRAG_InfoVQA",
          "VisRAG_PlotQA",
          "ViDoSeek-page",
          "ViDoSeek-doc",
          "MMLongBench-page",
          "MMLongBench-doc");
  // The 36 MMEB-V1 datasets, in the reference's reporting order (one list for every test).
  private static final Set<String> IMAGE = Set.copyOf(MmebDatasets.IN_REPORTING_ORDER);

  private final MmebV2Tasks tasks = MmebV2Tasks.all();

  @Test
  void holdsTheReferenceTaskListPerModality() {
    assertEquals(78, tasks.size());
    assertEquals(IMAGE, Set.copyOf(names(Modality.IMAGE)));
    assertEquals(DatasetRegistry.mmeb().names(), names(Modality.IMAGE));
    assertEquals(VIDEO, names(Modality.VIDEO));
    assertEquals(VISDOC, names(Modality.VISDOC));
  }

  @Test
  void groupSizesMatchTheLeaderboardColumns() {
    Map<TaskGroup, Integer> expected = new EnumMap<>(TaskGroup.class);
    int[] sizes = {10, 10, 12, 4, 5, 5, 5, 3, 10, 4, 6, 4};
    for (TaskGroup group : TaskGroup.values()) {
      expected.put(group, sizes[group.ordinal()]);
    }
    for (TaskGroup group : TaskGroup.values()) {
      assertEquals(expected.get(group), tasks.byGroup(group).size(), group.label());
    }
    assertEquals(
        List.of("QVHighlight", "Charades-STA", "MomentSeeker"),
        tasks.byGroup(TaskGroup.V_MRET).stream().map(MmebV2Task::name).toList());
    assertEquals(
        List.of("ViDoSeek-page", "ViDoSeek-doc", "MMLongBench-page", "MMLongBench-doc"),
        tasks.byGroup(TaskGroup.VISDOC_OOD).stream().map(MmebV2Task::name).toList());
  }

  @Test
  void metricsFoldersAndSourcesFollowTheReferenceConfigs() {
    for (MmebV2Task task : tasks.tasks()) {
      TaskMetric expected =
          task.modality() == Modality.VISDOC ? TaskMetric.NDCG_LINEAR_AT_5 : TaskMetric.HIT_AT_1;
      assertEquals(expected, task.metric(), task.name());
    }
    assertEquals("ndcg_linear@5", tasks.get("VisRAG_PlotQA").metric().key());
    assertEquals("image-tasks/MSCOCO_t2i", tasks.get("MSCOCO_t2i").folder());
    assertEquals("video-tasks/frames/video_cls/SSv2", tasks.get("SmthSmthV2").folder());
    assertEquals("video-tasks/frames/video_mret/Charades_STA", tasks.get("Charades-STA").folder());
    assertEquals("video-tasks/frames/video_qa/Video-MME", tasks.get("Video-MME").folder());
    assertEquals(
        "visdoc-tasks/economics_reports_v2_multilingual",
        tasks.get("ViDoRe_economics_reports_v2_multilingual").folder());
    assertEquals(
        "vidore/economics_reports_v2",
        tasks.get("ViDoRe_economics_reports_v2_multilingual").source());
    assertEquals("VLM2Vec/ViDoSeek-page-fixed", tasks.get("ViDoSeek-page").source());
    assertEquals("VLM2Vec/MMLongBench-page-fixed", tasks.get("MMLongBench-page").source());
    assertEquals("openbmb/VisRAG-Ret-Test-MP-DocVQA", tasks.get("VisRAG_MP-DocVQA").source());
  }

  @Test
  void unknownTaskNamesTheKnownOnes() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> tasks.get("MomentSeeker_1k8"));
    assertTrue(e.getMessage().contains("MomentSeeker_1k8"), e.getMessage());
    assertTrue(e.getMessage().contains("MomentSeeker,"), e.getMessage());
  }

  private List<String> names(Modality modality) {
    return tasks.byModality(modality).stream().map(MmebV2Task::name).toList();
  }
}
