package io.rge.eval.report;

import io.rge.data.mmebv2.Modality;
import io.rge.data.mmebv2.TaskGroup;
import io.rge.eval.score.Aggregate;
import io.rge.eval.score.MmebV2Scores;
import io.rge.eval.score.RetrievalScore;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The MMEB-V2 tables of {@code report.md}: a summary with the twelve group columns, the three
 * modality means and the overall (RGE's row, then each reference model aggregated by the same code,
 * then peers known only by their overall), and one row per task with its extra metrics. Missing
 * values are {@code —}; partial means say {@code (present/expected)}.
 */
public final class MmebV2Tables {
  private static final String MISSING = "—";

  private MmebV2Tables() {}

  /** The summary table; {@code reference} may be null. */
  public static String summary(String label, MmebV2Scores scores, MmebV2Reference reference) {
    StringBuilder out = new StringBuilder();
    List<String> header = new ArrayList<>(List.of("Model"));
    for (Modality modality : Modality.values()) {
      for (TaskGroup group : TaskGroup.values()) {
        if (group.modality() == modality) {
          header.add(group.label());
        }
      }
      header.add(title(modality));
    }
    header.add("Overall");
    row(out, header);
    row(out, header.stream().map(h -> "---").toList());
    row(out, cells(label, scores));
    if (reference != null) {
      for (MmebV2Reference.Model model : reference.models()) {
        row(out, cells(model.model(), model.scores()));
      }
      for (MmebV2Reference.Peer peer : reference.peers()) {
        List<String> cells = new ArrayList<>(List.of(escape(peer.model())));
        while (cells.size() < header.size() - 1) {
          cells.add(MISSING);
        }
        cells.add(String.format(Locale.ROOT, "%.1f", peer.overall()));
        row(out, cells);
      }
    }
    return out.toString();
  }

  /**
   * One row per task: its group, main metric and score, and the extra ranking metrics where {@code
   * extras} has them (visdoc tasks).
   */
  public static String tasks(MmebV2Scores scores, Map<String, RetrievalScore> extras) {
    StringBuilder out = new StringBuilder();
    List<String> header =
        List.of(
            "Task", "Group", "Metric", "Score", "hit@1", "hit@5", "NDCG@5", "NDCG@10", "recall@5");
    row(out, header);
    row(out, header.stream().map(h -> "---").toList());
    for (MmebV2Scores.TaskValue value : scores.tasks()) {
      String name = value.task().name();
      RetrievalScore extra = extras.get(name);
      List<String> cells = new ArrayList<>();
      cells.add(escape(name));
      cells.add(value.task().group().label());
      cells.add(value.task().metric().key());
      cells.add(
          value.value() == null
              ? MISSING + " (" + scores.missing().get(name) + ")"
              : one(value.value()));
      if (extra == null) {
        cells.addAll(List.of(MISSING, MISSING, MISSING, MISSING, MISSING));
      } else {
        cells.add(one(extra.hitAt1()));
        cells.add(one(extra.hitAt5()));
        cells.add(one(extra.ndcgAt5()));
        cells.add(one(extra.ndcgAt10()));
        cells.add(one(extra.recallAt5()));
      }
      row(out, cells);
    }
    return out.toString();
  }

  private static List<String> cells(String label, MmebV2Scores scores) {
    List<String> cells = new ArrayList<>(List.of(escape(label)));
    for (Modality modality : Modality.values()) {
      for (TaskGroup group : TaskGroup.values()) {
        if (group.modality() == modality) {
          cells.add(scores.groups().get(group).cell());
        }
      }
      cells.add(scores.modalities().get(modality).cell());
    }
    Aggregate overall = scores.overall();
    cells.add(overall.cell());
    return cells;
  }

  private static String title(Modality modality) {
    return switch (modality) {
      case IMAGE -> "Image";
      case VIDEO -> "Video";
      case VISDOC -> "VisDoc";
    };
  }

  private static void row(StringBuilder out, List<String> cells) {
    out.append("| ").append(String.join(" | ", cells)).append(" |\n");
  }

  private static String one(double v) {
    return String.format(Locale.ROOT, "%.1f", v);
  }

  private static String escape(String text) {
    return text.replace("|", "\\|");
  }
}
