package io.rge.data.mmebv2;

import io.rge.data.registry.DatasetInfo;
import io.rge.data.registry.DatasetRegistry;
import io.rge.data.registry.MetaTask;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The 78 MMEB-V2 tasks (VLM2Vec-V2, arXiv 2507.04590) in the leaderboard's order: the 36 MMEB-V1
 * datasets as the image tab, 18 video tasks and 24 visual-document tasks. Names, groups and folders
 * follow the reference's {@code experiments/report_score_v2.py} and {@code
 * experiments/public/eval/{image,video,visdoc}.yaml} (TIGER-AI-Lab/VLM2Vec 6e1e1d4); the visdoc
 * sources are its {@code src/constant/dataset_hf_path.py}. Immutable.
 */
public final class MmebV2Tasks {
  /** Folder of the image tab under the MMEB-V2 root (MMEB-V1's datasets, one folder each). */
  public static final String IMAGE_ROOT = "image-tasks";

  /** Folder of the pre-extracted video frames under the MMEB-V2 root. */
  public static final String FRAMES_ROOT = "video-tasks/frames";

  /** Folder of the visual-document tasks under the MMEB-V2 root. */
  public static final String VISDOC_ROOT = "visdoc-tasks";

  private static final MmebV2Tasks ALL = new MmebV2Tasks(build());

  private final Map<String, MmebV2Task> byName = new LinkedHashMap<>();

  private MmebV2Tasks(List<MmebV2Task> tasks) {
    for (MmebV2Task task : tasks) {
      if (byName.putIfAbsent(task.name(), task) != null) {
        throw new IllegalStateException("MMEB-V2 task " + task.name() + " listed twice");
      }
    }
  }

  /** The registry of all 78 tasks. */
  public static MmebV2Tasks all() {
    return ALL;
  }

  /** Every task, in leaderboard order (image, video, visdoc; groups in column order). */
  public List<MmebV2Task> tasks() {
    return List.copyOf(byName.values());
  }

  public List<String> names() {
    return List.copyOf(byName.keySet());
  }

  public int size() {
    return byName.size();
  }

  public Optional<MmebV2Task> find(String name) {
    return Optional.ofNullable(byName.get(name));
  }

  /** The task named {@code name}; fails with the known names when there is none. */
  public MmebV2Task get(String name) {
    MmebV2Task task = byName.get(name);
    if (task == null) {
      throw new IllegalArgumentException(
          "unknown MMEB-V2 task '" + name + "'; known: " + byName.keySet());
    }
    return task;
  }

  public List<MmebV2Task> byGroup(TaskGroup group) {
    return byName.values().stream().filter(t -> t.group() == group).toList();
  }

  public List<MmebV2Task> byModality(Modality modality) {
    return byName.values().stream().filter(t -> t.modality() == modality).toList();
  }

  private static List<MmebV2Task> build() {
    List<MmebV2Task> tasks = new ArrayList<>();
    for (DatasetInfo info : DatasetRegistry.mmeb().datasets()) {
      tasks.add(
          new MmebV2Task(
              info.name(), imageGroup(info.metaTask()), IMAGE_ROOT + "/" + info.name(), null));
    }
    video(tasks, TaskGroup.V_CLS, "video_cls", "K700", "K700");
    video(tasks, TaskGroup.V_CLS, "video_cls", "SmthSmthV2", "SSv2");
    video(tasks, TaskGroup.V_CLS, "video_cls", "HMDB51", "HMDB51");
    video(tasks, TaskGroup.V_CLS, "video_cls", "UCF101", "UCF101");
    video(tasks, TaskGroup.V_CLS, "video_cls", "Breakfast", "Breakfast");
    video(tasks, TaskGroup.V_QA, "video_qa", "MVBench", "MVBench");
    video(tasks, TaskGroup.V_QA, "video_qa", "Video-MME", "Video-MME");
    video(tasks, TaskGroup.V_QA, "video_qa", "NExTQA", "NExTQA");
    video(tasks, TaskGroup.V_QA, "video_qa", "EgoSchema", "EgoSchema");
    video(tasks, TaskGroup.V_QA, "video_qa", "ActivityNetQA", "ActivityNetQA");
    video(tasks, TaskGroup.V_RET, "video_ret", "DiDeMo", "DiDeMo");
    video(tasks, TaskGroup.V_RET, "video_ret", "MSR-VTT", "MSR-VTT");
    video(tasks, TaskGroup.V_RET, "video_ret", "MSVD", "MSVD");
    video(tasks, TaskGroup.V_RET, "video_ret", "VATEX", "VATEX");
    video(tasks, TaskGroup.V_RET, "video_ret", "YouCook2", "YouCook2");
    video(tasks, TaskGroup.V_MRET, "video_mret", "QVHighlight", "QVHighlight");
    video(tasks, TaskGroup.V_MRET, "video_mret", "Charades-STA", "Charades_STA");
    // The deduplicated 1,602-query set the leaderboard scores, not MomentSeeker_1k8.
    video(tasks, TaskGroup.V_MRET, "video_mret", "MomentSeeker", "MomentSeeker");

    TaskGroup v1 = TaskGroup.VIDORE_V1;
    visdoc(tasks, v1, "ViDoRe_arxivqa", "ViDoRe_arxivqa", "vidore/arxivqa_test_subsampled_beir");
    visdoc(tasks, v1, "ViDoRe_docvqa", "ViDoRe_docvqa", "vidore/docvqa_test_subsampled_beir");
    visdoc(tasks, v1, "ViDoRe_infovqa", "ViDoRe_infovqa", "vidore/infovqa_test_subsampled_beir");
    visdoc(tasks, v1, "ViDoRe_tabfquad", "ViDoRe_tabfquad", "vidore/tabfquad_test_subsampled_beir");
    visdoc(tasks, v1, "ViDoRe_tatdqa", "ViDoRe_tatdqa", "vidore/tatdqa_test_beir");
    visdoc(
        tasks, v1, "ViDoRe_shiftproject", "ViDoRe_shiftproject", "vidore/shiftproject_test_beir");
    for (String topic :
        List.of("artificial_intelligence", "energy", "government_reports", "healthcare_industry")) {
      String name = "ViDoRe_syntheticDocQA_" + topic;
      visdoc(tasks, v1, name, name, "vidore/syntheticDocQA_" + topic + "_test_beir");
    }
    // ViDoRe-V2: the human-labelled ESG set and the three multilingual sets (all query languages).
    TaskGroup v2 = TaskGroup.VIDORE_V2;
    visdoc(
        tasks,
        v2,
        "ViDoRe_esg_reports_human_labeled_v2",
        "esg_reports_human_labeled_v2",
        "vidore/esg_reports_human_labeled_v2");
    for (String set : List.of("biomedical_lectures", "economics_reports", "esg_reports")) {
      visdoc(
          tasks,
          v2,
          "ViDoRe_" + set + "_v2_multilingual",
          set + "_v2_multilingual",
          "vidore/" + set + "_v2");
    }
    for (String set : List.of("ArxivQA", "ChartQA", "MP-DocVQA", "SlideVQA", "InfoVQA", "PlotQA")) {
      visdoc(
          tasks,
          TaskGroup.VISRAG,
          "VisRAG_" + set,
          "VisRAG_" + set,
          "openbmb/VisRAG-Ret-Test-" + set);
    }
    // The page tasks are scored on the "-page-fixed" data (gold page no longer shifted by one).
    TaskGroup ood = TaskGroup.VISDOC_OOD;
    visdoc(tasks, ood, "ViDoSeek-page", "ViDoSeek-page", "VLM2Vec/ViDoSeek-page-fixed");
    visdoc(tasks, ood, "ViDoSeek-doc", "ViDoSeek-doc", "VLM2Vec/ViDoSeek");
    visdoc(tasks, ood, "MMLongBench-page", "MMLongBench-page", "VLM2Vec/MMLongBench-page-fixed");
    visdoc(tasks, ood, "MMLongBench-doc", "MMLongBench-doc", "VLM2Vec/MMLongBench-doc");
    return tasks;
  }

  private static TaskGroup imageGroup(MetaTask metaTask) {
    return switch (metaTask) {
      case CLASSIFICATION -> TaskGroup.I_CLS;
      case VQA -> TaskGroup.I_QA;
      case RETRIEVAL -> TaskGroup.I_RET;
      case VISUAL_GROUNDING -> TaskGroup.I_VG;
    };
  }

  private static void video(
      List<MmebV2Task> tasks, TaskGroup group, String family, String name, String frames) {
    tasks.add(new MmebV2Task(name, group, FRAMES_ROOT + "/" + family + "/" + frames, null));
  }

  private static void visdoc(
      List<MmebV2Task> tasks, TaskGroup group, String name, String folder, String source) {
    tasks.add(new MmebV2Task(name, group, VISDOC_ROOT + "/" + folder, source));
  }
}
