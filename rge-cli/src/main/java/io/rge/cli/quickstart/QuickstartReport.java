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
import java.util.Set;
import java.util.function.ToDoubleFunction;

/**
 * The quickstart's comparison: one row per variant, Table-2 columns (meta-tasks and overall P@1 on
 * held-out compositions) and rationale accuracy, mean ± standard deviation over seeds, the same on
 * seen compositions, with {@code --ablations} the LM : contrastive sweep laid out like the paper's
 * Table 3 and what matched the paper, and one example query per mode.
 */
final class QuickstartReport {
  static final String FILE = "report.md";
  private static final String EXAMPLE_DATASET = "SynthShapeShift";

  /** The weighting the paper's Table 3 found best. */
  private static final String PAPER_BEST = "1 : 10";

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
      for (Variant v : plan.variants()) {
        bySeed.put(v.id(), ModeScores.read(layout.run(seed, v)));
      }
      all.put(seed, bySeed);
    }
    return new QuickstartReport(plan, all, examples(plan, layout, all), seconds);
  }

  /** The held-out table as Markdown. */
  String table() {
    StringBuilder sb = new StringBuilder();
    sb.append("| mode | Classification | VQA | Retrieval | Grounding | Overall | Overall last |");
    sb.append(" Rationale colour | Rationale shape | Rationale answer |\n");
    sb.append("|---|---|---|---|---|---|---|---|---|---|\n");
    for (Variant v : plan.variants()) {
      String m = v.id();
      sb.append("| ").append(v.label());
      for (MetaTask t : MetaTask.values()) {
        sb.append(" | ").append(cell(s -> s.get(m).selected().metaTasks().get(t.label())));
      }
      sb.append(" | ").append(cell(s -> s.get(m).selected().overall()));
      sb.append(" | ").append(cell(s -> s.get(m).last().overall()));
      sb.append(rationaleCells(m, ModeScores::selected));
      sb.append(" |\n");
    }
    return sb.toString();
  }

  /** Overall P@1 and rationale accuracy on seen compositions (the chosen checkpoint). */
  String seenTable() {
    StringBuilder sb = new StringBuilder();
    sb.append("| mode | Overall | Rationale colour | Rationale shape | Rationale answer |\n");
    sb.append("|---|---|---|---|---|\n");
    for (Variant v : plan.variants()) {
      String m = v.id();
      sb.append("| ").append(v.label());
      sb.append(" | ").append(cell(s -> s.get(m).selectedSeen().overall()));
      sb.append(rationaleCells(m, ModeScores::selectedSeen));
      sb.append(" |\n");
    }
    return sb.toString();
  }

  /**
   * P@1 per dataset on seen compositions for the three modes of the default quickstart and the
   * vision-tower-only runs of {@code --pretrained} (the chosen checkpoints): where one-pass
   * embedding beats reasoning on memorised pairs. Empty when a run's scores predate the per-dataset
   * record.
   */
  String seenByDatasetTable() {
    List<Variant> modes =
        plan.variants().stream()
            .filter(v -> Variant.DEFAULTS.contains(v) || v.visionOnly())
            .toList();
    boolean recorded =
        scores.values().stream()
            .allMatch(
                seed ->
                    modes.stream()
                        .allMatch(v -> seed.get(v.id()).selectedSeen().datasets() != null));
    if (!recorded) {
      return "";
    }
    // Every run is scored on the same registry, so the first run's datasets name the rows.
    Set<String> datasets =
        scores.values().iterator().next().get(Variant.RGE.id()).selectedSeen().datasets().keySet();
    StringBuilder sb = new StringBuilder("| dataset");
    for (Variant v : modes) {
      sb.append(" | ").append(v.label());
    }
    sb.append(" |\n|---").append("|---".repeat(modes.size())).append("|\n");
    for (String d : datasets) {
      sb.append("| ").append(d);
      for (Variant v : modes) {
        sb.append(" | ")
            .append(cell(s -> s.get(v.id()).selectedSeen().datasets().getOrDefault(d, Double.NaN)));
      }
      sb.append(" |\n");
    }
    return sb.toString();
  }

  /**
   * The LM : contrastive sweep as the paper's Table 3 lays it out (one row per weighting, overall
   * P@1); rge is the row of its own weighting. Empty without the ablations.
   */
  String sweepTable() {
    List<Variant> rows = sweep();
    if (rows.isEmpty()) {
      return "";
    }
    StringBuilder sb = new StringBuilder();
    sb.append("| LM : contrastive | held-out overall | seen overall |\n");
    sb.append("|---|---|---|\n");
    for (Variant v : rows) {
      String m = v.id();
      sb.append("| ")
          .append(v.ratio())
          .append(v == Variant.RGE ? " (rge)" : "")
          .append(" | ")
          .append(cell(s -> s.get(m).selected().overall()))
          .append(" | ")
          .append(cell(s -> s.get(m).selectedSeen().overall()))
          .append(" |\n");
    }
    return sb.toString();
  }

  /** The sweep's rows, most LM weight first, the 0 : 1 row last; empty without the ablations. */
  private List<Variant> sweep() {
    if (!plan.ablations()) {
      return List.of();
    }
    List<Variant> rows = new ArrayList<>();
    for (Variant v : plan.variants()) {
      if (v.trains()
          && (v == Variant.RGE
              || v == Variant.BASELINE_AFTER_WARMUP
              || (v.mode() == Variant.RGE.mode() && v.fromWarmup()))) {
        rows.add(v);
      }
    }
    rows.sort(
        java.util.Comparator.comparingDouble(
            v -> v.mode() == Variant.RGE.mode() ? v.contrastiveWeight() / v.lmWeight() : 1e9));
    return rows;
  }

  /**
   * What the ablations show next to the paper's findings, in numbers (held-out overall, mean over
   * seeds): which weighting was best, where reasoning-off-at-inference lands, oracle-leak against
   * rge.
   */
  String paperComparison() {
    List<Variant> rows = sweep();
    if (rows.isEmpty()) {
      return "";
    }
    StringBuilder sb = new StringBuilder();
    Variant best = rows.get(0);
    for (Variant v : rows) {
      if (heldOut(v) > heldOut(best)) {
        best = v;
      }
    }
    sb.append(
        String.format(
            Locale.ROOT,
            "- Weighting: best of those tried here is %s (%.1f held-out); the paper found 1 : 10"
                + " best. %s%n",
            best.ratio(),
            heldOut(best),
            best.ratio().equals(PAPER_BEST)
                ? "Matched."
                : rows.stream()
                    .filter(v -> v.ratio().equals(PAPER_BEST))
                    .findFirst()
                    .map(
                        v ->
                            String.format(
                                Locale.ROOT,
                                "Not matched: %s scored %.1f.",
                                PAPER_BEST,
                                heldOut(v)))
                    .orElse("Not matched.")));
    double rge = heldOut(Variant.RGE);
    double off = heldOut(Variant.RGE_NO_REASONING);
    double base = heldOut(Variant.BASELINE);
    sb.append(
        String.format(
            Locale.ROOT,
            "- Reasoning off at inference: %.1f, against rge %.1f and the baseline %.1f; the paper"
                + " found it below RGE and above the baseline. %s%n",
            off,
            rge,
            base,
            off < rge && off > base
                ? "Matched."
                : off >= rge
                    ? "Not matched: not below rge."
                    : "Not matched: not above the baseline."));
    double leak = heldOut(Variant.ORACLE_LEAK);
    sb.append(
        String.format(
            Locale.ROOT,
            "- oracle-leak: %.1f against rge %.1f (%+.1f); the paper warns that leakage hurts. %s%n",
            leak,
            rge,
            leak - rge,
            leak < rge ? "Matched." : "Not matched: leaking did not hurt here."));
    return sb.toString();
  }

  private double heldOut(Variant v) {
    return mean(s -> s.get(v.id()).selected().overall());
  }

  private double seen(Variant v) {
    return mean(s -> s.get(v.id()).selectedSeen().overall());
  }

  /** The three rationale-accuracy cells (percent), or dashes without reasoning. */
  private String rationaleCells(
      String mode, java.util.function.Function<ModeScores, SplitScores> split) {
    if (split.apply(scores.values().iterator().next().get(mode)).rationale() == null) {
      return " | — | — | —";
    }
    return " | "
        + cell(s -> 100 * split.apply(s.get(mode)).rationale().colour())
        + " | "
        + cell(s -> 100 * split.apply(s.get(mode)).rationale().shape())
        + " | "
        + cell(s -> 100 * split.apply(s.get(mode)).rationale().answer());
  }

  /** rge against the baseline to beat (the best on seen compositions), means over seeds. */
  BaselineComparison comparison() {
    return BaselineComparison.of(plan.variants(), this::heldOut, this::seen);
  }

  String markdown() {
    StringBuilder sb = new StringBuilder();
    sb.append("# RGE quickstart: reasoning-guided embeddings in miniature\n\n");
    sb.append(
        String.format(
            Locale.ROOT,
            "A tiny Qwen2.5-VL (%d-wide decoder, %s) on RGE-Synth (`%s`),"
                + " three modes with the same seeds, steps and batch size: %d LM-only warm-up"
                + " steps plus %d joint steps for rge and oracle-leak (the warm-up is shared;"
                + " LM : contrastive = %s; %s),"
                + " %d contrastive steps for the baseline; batch %d; peak learning rate %s for"
                + " the reasoning modes, %s for the baseline (which collapses at the higher one)."
                + " Seeds: %s. Time of this run: %.0f s.%n%n",
            plan.hiddenSize(),
            start(),
            plan.synthSize(),
            plan.warmupSteps(),
            plan.jointSteps(),
            Variant.RGE.ratio(),
            plan.jointLearningRate() > 0
                ? "the joint phase's own schedule peaks at "
                    + java.math.BigDecimal.valueOf(plan.jointLearningRate()).toPlainString()
                : "the joint phase continues the warm-up's cosine",
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
    BaselineComparison c = comparison();
    sb.append(
        String.format(
            Locale.ROOT,
            "rge − baseline, overall: %+.1f points (target: at least +3); on seen compositions"
                + " %+.1f.%s%n%n",
            c.heldOutGain(),
            c.seenDifference(),
            c.baselines() == 1
                ? ""
                : String.format(
                    Locale.ROOT,
                    " The baseline here is *%s*, the best of the %d baselines on seen"
                        + " compositions (chosen on the seen split).",
                    c.baseline().label(),
                    c.baselines())));
    sb.append(
        "*Rationale* columns: the percentage of generated rationales whose colour (the one the"
            + " fact starts from), shape (rows whose truth names one) and answer colour are right,"
            + " checked against RGE-Synth's truth; dashes: queries embedded without a rationale.\n\n");
    sb.append("Seen compositions (the same checkpoints):\n\n");
    sb.append(seenTable()).append('\n');
    String byDataset = seenByDatasetTable();
    if (!byDataset.isEmpty()) {
      sb.append("Seen compositions per dataset, P@1 (%):\n\n").append(byDataset).append('\n');
    }
    if (plan.ablations()) {
      sb.append("## Ablations: LM : contrastive weighting (the paper's Table 3)\n\n");
      sb.append(
          "Overall P@1 (%); every row continues from the same LM-only warm-up and has the same"
              + " steps; 0 : 1 is the baseline objective after the warm-up (no LM term, queries"
              + " embedded without reasoning).\n\n");
      sb.append(sweepTable()).append('\n');
      sb.append("Against the paper (held-out overall):\n\n");
      sb.append(paperComparison()).append('\n');
    }
    if (plan.answerFirst()) {
      sb.append(
          "RGE-Synth variant: oracle rationales state the answer first"
              + " (`RationaleStyle.ANSWER_FIRST`), the case where leaking them should hurt.\n\n");
    }
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
      for (Variant v : plan.variants()) {
        if (!v.trains()) {
          continue;
        }
        String png = lossPlotName(seed, v.id());
        sb.append("![")
            .append(v.id())
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

  /** Where every mode's model starts, for the report's first sentence. */
  private String start() {
    Pretraining p = plan.pretraining();
    if (p == null) {
      return "trained from scratch";
    }
    return String.format(
        Locale.ROOT,
        "every mode started from the same model pre-trained to describe images: %d LM steps on"
            + " the description rows of RGE-Synth `%s`, seed %d, no transform named, in"
            + " `pretrain/`; the rows *pretrained vision tower only* start from its vision tower"
            + " alone, the rest of their weights random",
        p.steps(),
        p.synthSize(),
        Pretraining.SEED);
  }

  static String lossPlotName(long seed, String mode) {
    return "loss-" + mode + "-seed" + seed + ".png";
  }

  void write(Path out) throws IOException {
    HeldOutPlot.write(out.resolve(HeldOutPlot.FILE), scores, plan.variants());
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
    for (Variant mode : Variant.DEFAULTS) {
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
              !mode.reasoning()
                  ? "(none: the baseline does not reason)"
                  : p.rationale().isBlank() ? "(empty: <emb> at once)" : p.rationale().strip(),
              p.correct()
                  ? "retrieved the right candidate"
                  : "picked `" + row.candidateTexts().get(p.predicted()) + "` (wrong)"));
    }
    return out;
  }
}
