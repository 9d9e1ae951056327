package io.rge.cli.quickstart;

import io.rge.core.files.AtomicFiles;
import io.rge.data.mmeb.EvalRow;
import io.rge.data.mmeb.MmebEvalReader;
import io.rge.data.mmeb.ReadOptions;
import io.rge.data.mmeb.RowStream;
import io.rge.data.registry.MetaTask;
import io.rge.data.synth.SynthLayout;
import io.rge.eval.MmebEvaluator;
import io.rge.eval.report.Prediction;
import io.rge.eval.report.PredictionsJsonl;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * The quickstart's comparison: one row per mode, Table-2 columns (meta-tasks and overall P@1 on
 * held-out compositions), mean ± standard deviation over seeds, and one example query per mode.
 */
final class QuickstartReport {
  static final String FILE = "report.md";
  private static final String EXAMPLE_DATASET = "SynthShapeShift";

  private final QuickstartPlan plan;
  private final Map<Long, Map<String, ModeScores>> scores; // seed -> mode -> scores
  private final List<String> examples;
  private final double seconds;

  private QuickstartReport(
      QuickstartPlan plan,
      Map<Long, Map<String, ModeScores>> scores,
      List<String> examples,
      double seconds) {
    this.plan = plan;
    this.scores = scores;
    this.examples = examples;
    this.seconds = seconds;
  }

  static QuickstartReport collect(QuickstartPlan plan, QuickstartLayout layout, double seconds)
      throws IOException {
    Map<Long, Map<String, ModeScores>> all = new java.util.TreeMap<>();
    for (long seed : plan.seeds()) {
      Map<String, ModeScores> bySeed = new java.util.LinkedHashMap<>();
      for (var mode : QuickstartPlan.MODES) {
        bySeed.put(mode.id(), ModeScores.read(layout.run(seed, mode)));
      }
      all.put(seed, bySeed);
    }
    return new QuickstartReport(plan, all, examples(plan, layout, all), seconds);
  }

  /** The table as Markdown. */
  String table() {
    StringBuilder sb = new StringBuilder();
    sb.append("| mode | Classification | VQA | Retrieval | Grounding | Overall | Overall last |\n");
    sb.append("|---|---|---|---|---|---|---|\n");
    for (var mode : QuickstartPlan.MODES) {
      String m = mode.id();
      sb.append("| ").append(m);
      for (MetaTask t : MetaTask.values()) {
        sb.append(" | ").append(cell(s -> s.get(m).selected().metaTasks().get(t.label())));
      }
      sb.append(" | ").append(cell(s -> s.get(m).selected().overall()));
      sb.append(" | ").append(cell(s -> s.get(m).last().overall()));
      sb.append(" |\n");
    }
    return sb.toString();
  }

  /** rge minus baseline, overall held-out, per seed mean. */
  double rgeGain() {
    return mean(s -> s.get("rge").selected().overall())
        - mean(s -> s.get("baseline").selected().overall());
  }

  String markdown() {
    StringBuilder sb = new StringBuilder();
    sb.append("# RGE quickstart: reasoning-guided embeddings in miniature\n\n");
    sb.append(
        String.format(
            Locale.ROOT,
            "A tiny Qwen2.5-VL (%d-wide decoder, trained from scratch) on RGE-Synth (`%s`),"
                + " three modes with the same seeds, steps and batch size: %d LM-only warm-up"
                + " steps plus %d joint steps for rge and oracle-leak (the warm-up is shared),"
                + " %d contrastive steps for the baseline; batch %d; peak learning rate %s for"
                + " the reasoning modes, %s for the baseline (which collapses at the higher one)."
                + " Seeds: %s. Time: %.0f s.%n%n",
            plan.hiddenSize(),
            plan.synthSize(),
            plan.warmupSteps(),
            plan.jointSteps(),
            plan.totalSteps(),
            plan.batchSize(),
            java.math.BigDecimal.valueOf(plan.learningRate()).toPlainString(),
            java.math.BigDecimal.valueOf(plan.baselineLearningRate()).toPlainString(),
            plan.seeds(),
            seconds));
    sb.append(
        "Precision@1 (%) on **held-out compositions** (transform/colour pairs never seen in"
            + " training image queries)"
            + (plan.seeds().size() > 1 ? ", mean ± standard deviation over seeds" : "")
            + ":\n\n");
    sb.append(table()).append('\n');
    sb.append(
        "*Overall* and the meta-task columns are for the checkpoint chosen on the"
            + " *seen*-compositions split (the better of the last two checkpoints); *Overall last*"
            + " is the last checkpoint. Held-out compositions are never used to choose.\n\n");
    sb.append(
        String.format(
            Locale.ROOT,
            "rge − baseline, overall: %+.1f points (target: at least +3).%n%n",
            rgeGain()));
    sb.append("Seen compositions (chosen checkpoint), overall: ");
    List<String> seen = new ArrayList<>();
    for (var mode : QuickstartPlan.MODES) {
      seen.add(mode.id() + " " + cell(s -> s.get(mode.id()).selectedSeen().overall()));
    }
    sb.append(String.join(", ", seen)).append(".\n\n");
    sb.append("## One held-out query per mode\n\n");
    for (String e : examples) {
      sb.append("- ").append(e).append('\n');
    }
    sb.append("\n## Held-out P@1 over checkpoints\n\n");
    sb.append("![held-out overall P@1 per mode](").append(HeldOutPlot.FILE).append(")\n\n");
    sb.append(
        "Held-out compositions are evaluated on the chosen and the last checkpoint only"
            + (plan.seeds().size() > 1
                ? "; each point is the mean over the seeds at that step"
                : "")
            + ".\n");
    sb.append("\n## Loss curves\n\n");
    for (long seed : plan.seeds()) {
      for (var mode : QuickstartPlan.MODES) {
        String png = lossPlotName(seed, mode.id());
        sb.append("![")
            .append(mode.id())
            .append(" seed ")
            .append(seed)
            .append("](")
            .append(png)
            .append(")\n");
      }
    }
    sb.append(
        "\nPer run: `seed-S/<mode>/` holds the training config (`train.yaml`), metrics, checkpoints"
            + " and `eval/<checkpoint>/<split>/` (`scores.json`, `report.md`,"
            + " `predictions.jsonl`); `quickstart-scores.json` there is what this table reads.\n");
    return sb.toString();
  }

  static String lossPlotName(long seed, String mode) {
    return "loss-" + mode + "-seed" + seed + ".png";
  }

  void write(Path out) throws IOException {
    HeldOutPlot.write(out.resolve(HeldOutPlot.FILE), scores);
    AtomicFiles.write(out.resolve(FILE), markdown().getBytes(StandardCharsets.UTF_8));
  }

  List<String> examples() {
    return examples;
  }

  private String cell(ToDoubleFunction<Map<String, ModeScores>> value) {
    double mean = mean(value);
    if (scores.size() == 1) {
      return String.format(Locale.ROOT, "%.1f", mean);
    }
    double sq = 0;
    for (Map<String, ModeScores> s : scores.values()) {
      double d = value.applyAsDouble(s) - mean;
      sq += d * d;
    }
    return String.format(Locale.ROOT, "%.1f ± %.1f", mean, Math.sqrt(sq / (scores.size() - 1)));
  }

  private double mean(ToDoubleFunction<Map<String, ModeScores>> value) {
    return scores.values().stream().mapToDouble(value).average().orElse(Double.NaN);
  }

  /** The same held-out query (first row of one dataset, first seed) as each mode answered it. */
  private static List<String> examples(
      QuickstartPlan plan, QuickstartLayout layout, Map<Long, Map<String, ModeScores>> all)
      throws IOException {
    long seed = plan.seeds().get(0);
    Path evalRoot = new SynthLayout(layout.synth(seed)).evalRoot();
    EvalRow row;
    try (RowStream<EvalRow> rows =
        MmebEvalReader.openDataset(evalRoot, EXAMPLE_DATASET, ReadOptions.defaults())) {
      row = rows.next();
    }
    List<String> out = new ArrayList<>();
    for (var mode : QuickstartPlan.MODES) {
      ModeScores s = all.get(seed).get(mode.id());
      Path predictions =
          QuickstartLayout.evalDir(
                  layout.run(seed, mode), s.selected().step(), QuickstartLayout.HELD_OUT)
              .resolve(MmebEvaluator.PREDICTIONS_FILE);
      Prediction p =
          PredictionsJsonl.read(predictions).stream()
              .filter(x -> x.dataset().equals(EXAMPLE_DATASET) && x.row() == row.row())
              .findFirst()
              .orElseThrow(() -> new IOException(predictions + " lacks " + EXAMPLE_DATASET));
      out.add(
          String.format(
              Locale.ROOT,
              "**%s** — query `%s` (answer `%s`): rationale `%s` → %s",
              mode.id(),
              row.qryText(),
              row.candidateTexts().get(0),
              mode == io.rge.training.objective.ObjectiveMode.BASELINE
                  ? "(none: the baseline does not reason)"
                  : p.rationale().isBlank() ? "(empty: <emb> at once)" : p.rationale().strip(),
              p.correct()
                  ? "retrieved the right candidate"
                  : "picked `" + row.candidateTexts().get(p.predicted()) + "` (wrong)"));
    }
    return out;
  }
}
