package io.rge.eval.report;

import io.rge.data.registry.MetaTask;
import io.rge.eval.score.Aggregate;
import io.rge.eval.score.DatasetScore;
import io.rge.eval.score.Scores;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code report.md}: a summary table shaped like the RGE paper's Table 2 (Classification, VQA,
 * Retrieval, Grounding, IND, OOD, Overall) with optional reference rows, then one row per dataset.
 */
public final class ReportMarkdown {
  private static final List<MetaTask> COLUMNS =
      List.of(MetaTask.CLASSIFICATION, MetaTask.VQA, MetaTask.RETRIEVAL, MetaTask.VISUAL_GROUNDING);

  private ReportMarkdown() {}

  public static String render(RunRecord run) {
    Scores scores = run.scores();
    StringBuilder md = new StringBuilder();
    md.append("# ")
        .append(run.dataName())
        .append(" evaluation: ")
        .append(escape(run.modelLabel()))
        .append("\n\n");
    md.append("- Model fingerprint: `").append(run.modelFingerprint()).append("`\n");
    md.append("- Data: `")
        .append(run.dataRoot())
        .append("` (registry ")
        .append(scores.registry())
        .append("); images: ")
        .append(run.images() == null ? "none" : "`" + run.images() + "`")
        .append('\n');
    Object reasoning = run.settings().get("reasoning");
    md.append("- Queries: ")
        .append(
            Boolean.TRUE.equals(reasoning)
                ? "with reasoning (rationale up to "
                    + run.settings().get("max_new_tokens")
                    + " new tokens, "
                    + run.settings().get("decoding")
                    + "), embedded at `<emb>`"
                : "without reasoning (prompt + `<emb>`)")
        .append("; candidates: prompt + `<emb>`\n");
    md.append("- Prompts: ")
        .append(run.prompts().name())
        .append(" (`")
        .append(run.prompts().id())
        .append("`): ")
        .append(escape(run.prompts().description()));
    if (run.prompts().source() != null) {
      md.append(", from `").append(run.prompts().source()).append('`');
    }
    md.append('\n');
    int expected = scores.overall().expected();
    md.append("- Datasets: ")
        .append(scores.overall().present())
        .append(" of ")
        .append(expected)
        .append(" scored");
    if (!scores.missing().isEmpty()) {
      Map<String, List<String>> byReason = new LinkedHashMap<>();
      for (Map.Entry<String, String> e : scores.missing().entrySet()) {
        byReason.computeIfAbsent(e.getValue(), r -> new ArrayList<>()).add(e.getKey());
      }
      List<String> parts = new ArrayList<>();
      byReason.forEach(
          (reason, names) ->
              parts.add(reason + " (" + names.size() + "): " + String.join(", ", names)));
      md.append("; not scored, ").append(String.join("; ", parts));
    }
    md.append("\n\n");

    md.append("## Summary (Precision@1 × 100)\n\n");
    md.append("| Model | Classification | VQA | Retrieval | Grounding | IND | OOD | Overall |\n");
    md.append("|---|---:|---:|---:|---:|---:|---:|---:|\n");
    md.append("| **").append(escape(run.modelLabel())).append("** |");
    for (MetaTask task : COLUMNS) {
      Aggregate a = scores.metaTasks().get(task);
      md.append(' ').append(a == null ? "n/a" : a.cell()).append(" |");
    }
    md.append(' ').append(scores.ind().cell()).append(" |");
    md.append(' ').append(scores.ood().cell()).append(" |");
    md.append(' ').append(scores.overall().cell()).append(" |\n");
    if (run.references() != null) {
      for (ReferenceRow r : run.references().rows()) {
        md.append("| ").append(escape(r.model())).append(" |");
        for (double v :
            new double[] {
              r.classification(),
              r.vqa(),
              r.retrieval(),
              r.grounding(),
              r.ind(),
              r.ood(),
              r.overall()
            }) {
          md.append(' ').append(one(v)).append(" |");
        }
        md.append('\n');
      }
    }
    md.append('\n');
    md.append(
        "A value followed by (k/n) averages only the k of the n datasets that were scored; "
            + "missing datasets are never counted as zero. — means none was scored; n/a means "
            + "the column does not apply.\n");
    if (scores.distributionNote() != null) {
      md.append(scores.distributionNote()).append(".\n");
    }
    if (run.references() != null && !run.references().source().isBlank()) {
      md.append("Reference rows: ").append(escape(run.references().source())).append(".\n");
    }
    md.append('\n');

    md.append("## Per dataset\n\n");
    md.append(
        "| Dataset | Meta-task | Distribution | P@1 | n | Correct | Ties | Skipped rows |"
            + " Missing images |\n");
    md.append("|---|---|---|---:|---:|---:|---:|---:|---:|\n");
    for (DatasetScore s : scores.datasets()) {
      md.append("| ")
          .append(escape(s.name()))
          .append(" | ")
          .append(s.metaTask().label())
          .append(" | ")
          .append(scores.distributionNote() == null ? s.distribution().name() : "n/a")
          .append(" | ")
          .append(s.scored() ? one(s.precisionAt1()) : "—")
          .append(" | ")
          .append(s.rows())
          .append(" | ")
          .append(s.correct())
          .append(" | ")
          .append(s.ties())
          .append(" | ")
          .append(s.skippedRows())
          .append(" | ")
          .append(s.missingImages())
          .append(" |\n");
    }
    md.append('\n');
    md.append(
        "Ties: rows whose highest similarity was shared by several candidates; the lower index"
            + " wins, so a tie that includes candidate 0 counts as correct.\n\n");

    if (!run.datasets().isEmpty()) {
      md.append("## Work done\n\n");
      md.append(
          "| Dataset | Unique queries | Embedded | Cached | `<emb>` appended | Unique candidates |"
              + " Embedded | Cached | Seconds |\n");
      md.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|\n");
      for (Map.Entry<String, DatasetRunInfo> e : run.datasets().entrySet()) {
        DatasetRunInfo i = e.getValue();
        md.append("| ")
            .append(escape(e.getKey()))
            .append(" | ")
            .append(i.uniqueQueries())
            .append(" | ")
            .append(i.queriesEmbedded())
            .append(" | ")
            .append(i.queriesCached())
            .append(" | ")
            .append(i.embAppended())
            .append(" | ")
            .append(i.uniqueCandidates())
            .append(" | ")
            .append(i.candidatesEmbedded())
            .append(" | ")
            .append(i.candidatesCached())
            .append(" | ")
            .append(String.format(Locale.ROOT, "%.1f", i.seconds()))
            .append(" |\n");
      }
      md.append('\n');
    }
    EvalProvenance p = run.provenance();
    Map<String, String> versions = p.provenance().versions();
    md.append("RGE ")
        .append(versions.get("rge"))
        .append(", DJL ")
        .append(versions.get("djl"))
        .append(", ")
        .append(versions.get("engine"))
        .append(", Java ")
        .append(versions.get("java"))
        .append(", ")
        .append(p.provenance().device())
        .append("; finished ")
        .append(p.finished())
        .append(" after ")
        .append(String.format(Locale.ROOT, "%.1f", p.seconds()))
        .append(" s.\n");
    return md.toString();
  }

  private static String one(double v) {
    return String.format(Locale.ROOT, "%.1f", v);
  }

  private static String escape(String text) {
    return text.replace("|", "\\|").replace("\n", " ");
  }
}
