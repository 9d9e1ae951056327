package io.rge.cli.quickstart;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.rge.core.progress.ProgressListener;
import io.rge.core.safetensors.SafetensorsFile;
import io.rge.data.registry.MetaTask;
import io.rge.data.synth.SynthTask;
import io.rge.eval.MmebEvaluator;
import io.rge.training.config.TrainConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs a minimal quickstart end to end (tiny RGE-Synth, a 32-wide model, 2 warm-up and 2 joint
 * steps, the real child processes) and checks its report against what the evaluator wrote: every
 * cell of the table is recomputed here from the per-checkpoint {@code scores.json} (per-dataset
 * correct / n, averaged per meta-task and overall), the chosen checkpoint is the one the rule picks
 * from the seen-split scores written, and the gain line is the difference of the two rows. A second
 * run must reuse everything and print the same table.
 */
class QuickstartEndToEndTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final List<String> META_TASKS =
      Stream.of(MetaTask.values()).map(MetaTask::label).toList();

  @Test
  void aMinimalQuickstartReportsWhatTheEvaluationsScored(@TempDir Path dir) throws Exception {
    QuickstartPlan plan =
        new QuickstartPlan(
            List.of(0L), "tiny", 2, 2, 4, 1e-3, 5e-4, 32, 4, 2, 5e-4, false, false, null);
    Path out = dir.resolve("qs");
    QuickstartResult result = new Quickstart(plan, out, ProgressListener.NONE).run(false);

    String report = Files.readString(result.report());
    Map<String, List<String>> rows = tableRows(section(report, "Precision@1 (%) on"));
    assertEquals(List.of("rge", "baseline", "oracle-leak"), new ArrayList<>(rows.keySet()));
    Map<String, List<String>> seenRows = tableRows(section(report, "Seen compositions"));
    Map<String, List<String>> seenByDataset =
        tableRows(section(report, "Seen compositions per dataset"));
    Map<String, Double> overall = new LinkedHashMap<>();
    for (Variant mode : Variant.DEFAULTS) {
      Path run = out.resolve("seed-0").resolve(mode.id());
      List<Long> steps = checkpointSteps(run);
      assertEquals(List.of(2L, 3L, 4L), steps, mode.id() + " keeps its checkpoints");
      // The checkpoint the evaluation chose by its rule (QuickstartEvalJobTest) from the two
      // seen-split scores it wrote.
      long chosen = ModeScores.read(run).selected().step();
      boolean previous =
          QuickstartEvalJob.choosesPrevious(
              overall(scores(run, 4, "seen")), overall(scores(run, 3, "seen")));
      assertEquals(previous ? 3 : 4, chosen, mode.id() + " chosen checkpoint");
      JsonNode heldOut = scores(run, chosen, "held-out");
      List<String> cells = rows.get(mode.id());
      for (int t = 0; t < META_TASKS.size(); t++) {
        assertEquals(
            format(metaTask(heldOut, META_TASKS.get(t))),
            cells.get(t),
            mode.id() + " " + META_TASKS.get(t));
      }
      double chosenOverall = overall(heldOut);
      overall.put(mode.id(), chosenOverall);
      assertEquals(format(chosenOverall), cells.get(4), mode.id() + " overall");
      assertEquals(format(overall(scores(run, 4, "held-out"))), cells.get(5), mode.id() + " last");
      Path synth = out.resolve("data").resolve("seed-0");
      assertEquals(
          rationaleCells(run, chosen, "held-out", synth, mode.reasoning()),
          cells.subList(6, 9),
          mode.id() + " rationale accuracy, held-out");
      List<String> seen = seenRows.get(mode.id());
      assertEquals(format(overall(scores(run, chosen, "seen"))), seen.get(0), mode.id() + " seen");
      assertEquals(
          rationaleCells(run, chosen, "seen", synth, mode.reasoning()),
          seen.subList(1, 4),
          mode.id() + " rationale accuracy, seen");
      // One column per mode, one row per dataset: correct / n of the chosen seen evaluation.
      int column = Variant.DEFAULTS.indexOf(mode);
      for (Iterator<Map.Entry<String, JsonNode>> it =
              scores(run, chosen, "seen").get("datasets").fields();
          it.hasNext(); ) {
        Map.Entry<String, JsonNode> d = it.next();
        assertEquals(
            format(100.0 * d.getValue().get("correct").asInt() / d.getValue().get("n").asInt()),
            seenByDataset.get(d.getKey()).get(column),
            mode.id() + " seen " + d.getKey());
      }
    }
    seenByDataset.remove("dataset"); // the header row
    assertEquals(
        Stream.of(SynthTask.values()).map(SynthTask::datasetName).toList(),
        new ArrayList<>(seenByDataset.keySet()),
        "a row per RGE-Synth dataset, in registry order");
    double gain = overall.get("rge") - overall.get("baseline");
    assertTrue(
        report.contains(String.format(Locale.ROOT, "rge − baseline, overall: %+.1f points", gain)),
        report);
    assertEquals(gain, result.rgeGain(), 1e-9);
    assertEquals(3, result.examples().size());
    assertTrue(report.contains("](" + HeldOutPlot.FILE + ")"), report);
    assertTrue(Files.size(out.resolve(HeldOutPlot.FILE)) > 0, "the held-out P@1 plot is written");

    // A rerun finds everything done: no child process, the same table.
    QuickstartResult again = new Quickstart(plan, out, ProgressListener.NONE).run(false);
    assertEquals(result.table(), again.table());

    // --ablations adds its rows to the finished quickstart, reusing the three modes.
    QuickstartPlan ablations =
        new QuickstartPlan(
            List.of(0L), "tiny", 2, 2, 4, 1e-3, 5e-4, 32, 4, 2, 5e-4, true, false, null);
    String withAblations =
        Files.readString(new Quickstart(ablations, out, ProgressListener.NONE).run(false).report());
    Map<String, List<String>> all = tableRows(section(withAblations, "Precision@1 (%) on"));
    assertEquals(
        ablations.variants().stream().map(Variant::label).toList(), new ArrayList<>(all.keySet()));
    for (Variant mode : Variant.DEFAULTS) {
      assertEquals(rows.get(mode.id()), all.get(mode.label()), mode.id() + " is reused as it was");
    }
    // Reasoning off at inference: rge's own checkpoints, no rationale generated.
    Path off = out.resolve("seed-0").resolve(Variant.RGE_NO_REASONING.id());
    assertTrue(!Files.exists(off.resolve("checkpoints")), "no training of its own");
    for (JsonNode line : predictions(off, 4, "held-out")) {
      assertEquals("", line.get("rationale").asText(), "no rationale without reasoning");
    }
    assertEquals(List.of("—", "—", "—"), all.get(Variant.RGE_NO_REASONING.label()).subList(6, 9));
    // The sweep table: 1 : 1, 1 : 5 (rge), 1 : 10, 1 : 20, 0 : 1, each the run's held-out overall.
    Map<String, List<String>> sweep = tableRows(section(withAblations, "## Ablations"));
    assertEquals(
        List.of("1 : 1", "1 : 5 (rge)", "1 : 10", "1 : 20", "0 : 1"),
        new ArrayList<>(sweep.keySet()));
    assertEquals(all.get("rge").get(4), sweep.get("1 : 5 (rge)").get(0));
    assertEquals(
        all.get(Variant.sweep(10).label()).get(4), sweep.get("1 : 10").get(0), "1 : 10 held-out");
    assertEquals(
        all.get(Variant.BASELINE_AFTER_WARMUP.label()).get(4),
        sweep.get("0 : 1").get(0),
        "0 : 1 held-out");
    // Each sweep run continued from the shared warm-up with its own weights.
    TrainConfig config =
        TrainConfig.load(
            out.resolve("seed-0").resolve(Variant.sweep(20).id()).resolve("train.yaml"));
    assertEquals(20.0, config.objectiveSettings().contrastiveWeight());
    assertEquals(new TrainConfig.Restart(2L, 5e-4), config.schedule().restart());
    assertTrue(withAblations.contains("the paper found 1 : 10 best"), withAblations);
  }

  @Test
  void aPretrainedQuickstartStartsEveryModeFromThePretraining(@TempDir Path dir) throws Exception {
    // Seed 1 for the runs: from random weights they would start from seed 1's, far from the
    // pretraining's (seed 0, whatever the runs' seeds).
    Pretraining pretraining = new Pretraining("tiny", 2, 4);
    QuickstartPlan plan =
        new QuickstartPlan(
            List.of(1L), "tiny", 2, 2, 4, 1e-3, 5e-4, 32, 4, 2, 5e-4, false, false, pretraining);
    Path out = dir.resolve("qs");
    QuickstartResult result = new Quickstart(plan, out, ProgressListener.NONE).run(false);

    QuickstartLayout layout = new QuickstartLayout(out);
    Path start = layout.pretrainedModel(pretraining);
    assertEquals(List.of(1L, 2L), checkpointSteps(layout.pretrain()), "stopped at step 2 of 4");
    Map<String, float[]> pretrained = tensors(start);
    double scale = rms(pretrained, null);
    for (Variant mode : Variant.DEFAULTS) {
      Path last = layout.run(1, mode).resolve("checkpoints").resolve("step-00000004");
      Map<String, float[]> trained = tensors(last);
      assertEquals(pretrained.keySet(), trained.keySet(), mode.id());
      // Four optimizer steps at a peak rate of 1e-3 move each weight by about 4e-3 at most; a
      // random start would be as far away as the weights are large.
      double moved = rms(trained, pretrained);
      assertTrue(
          moved < 0.5 * scale,
          mode.id() + " moved " + moved + " from the pretrained weights (scale " + scale + ")");
      assertTrue(moved > 0, mode.id() + " trained");
    }
    String report = Files.readString(result.report());
    // rge and the baseline again from the pretrained vision tower, their language models random
    // (seed 1's).
    for (Variant mode : Variant.VISION_ONLY) {
      Map<String, float[]> tower = new java.util.TreeMap<>();
      Map<String, float[]> rest = new java.util.TreeMap<>();
      tensors(layout.run(1, mode).resolve("checkpoints").resolve("step-00000004"))
          .forEach((name, t) -> (name.startsWith("visual.") ? tower : rest).put(name, t));
      assertTrue(rms(tower, pretrained) < 0.5 * scale, mode.id() + ": the pretrained tower");
      assertTrue(rms(rest, pretrained) > 0.5 * scale, mode.id() + ": a random language model");
    }
    assertTrue(report.contains("pre-trained to describe images: 2 LM steps"), report);
    // The baseline to beat is the better of the two on seen compositions, whatever held-out says.
    ModeScores whole = ModeScores.read(layout.run(1, Variant.BASELINE));
    ModeScores tower = ModeScores.read(layout.run(1, Variant.BASELINE_VISION_ONLY));
    ModeScores bar =
        tower.selectedSeen().overall() > whole.selectedSeen().overall() ? tower : whole;
    Variant barVariant = bar == tower ? Variant.BASELINE_VISION_ONLY : Variant.BASELINE;
    ModeScores rge = ModeScores.read(layout.run(1, Variant.RGE));
    assertEquals(barVariant.label(), result.baseline());
    assertEquals(rge.selected().overall() - bar.selected().overall(), result.rgeGain(), 1e-9);
    assertEquals(
        rge.selectedSeen().overall() - bar.selectedSeen().overall(),
        result.rgeSeenDifference(),
        1e-9);
    assertTrue(
        report.contains(
            "The baseline here is *" + barVariant.label() + "*, the best of the 2 baselines"),
        report);
    assertEquals(
        List.of(
            "rge",
            "baseline",
            "oracle-leak",
            Variant.RGE_VISION_ONLY.label(),
            Variant.BASELINE_VISION_ONLY.label()),
        new ArrayList<>(tableRows(section(report, "Precision@1 (%) on")).keySet()));
  }

  private static Map<String, float[]> tensors(Path checkpoint) throws Exception {
    Map<String, float[]> out = new java.util.TreeMap<>();
    try (SafetensorsFile f = SafetensorsFile.open(checkpoint.resolve("model.safetensors"))) {
      for (String name : f.names()) {
        out.put(name, f.readFloats(name));
      }
    }
    return out;
  }

  /**
   * Root mean square over every weight but the norms' (which start at one) of {@code a}, or of its
   * difference from {@code b}.
   */
  private static double rms(Map<String, float[]> a, Map<String, float[]> b) {
    double sum = 0;
    long n = 0;
    for (Map.Entry<String, float[]> e : a.entrySet()) {
      if (e.getKey().contains("norm")) {
        continue;
      }
      float[] x = e.getValue();
      float[] y = b == null ? null : b.get(e.getKey());
      for (int i = 0; i < x.length; i++) {
        double d = y == null ? x[i] : x[i] - y[i];
        sum += d * d;
      }
      n += x.length;
    }
    return Math.sqrt(sum / n);
  }

  /**
   * The three rationale-accuracy cells of a run's evaluation, recomputed from its predictions and
   * the split's truth files; dashes without reasoning.
   */
  private static List<String> rationaleCells(
      Path run, long step, String split, Path synth, boolean reasoning) throws Exception {
    if (!reasoning) {
      return List.of("—", "—", "—");
    }
    List<String> truth = new ArrayList<>();
    List<String> generated = new ArrayList<>();
    for (JsonNode p : predictions(run, step, split)) {
      Path file =
          synth
              .resolve(split.equals("seen") ? "eval-seen" : "eval")
              .resolve(p.get("dataset").asText())
              .resolve("rationales.jsonl");
      JsonNode line = JSON.readTree(Files.readAllLines(file).get(p.get("row").asInt()));
      assertEquals(p.get("row").asInt(), line.get("id").asInt());
      truth.add(line.get("rationale").asText());
      generated.add(p.get("rationale").asText());
    }
    var a = io.rge.data.synth.RationaleAccuracy.of(truth, generated);
    return List.of(format(100 * a.colour()), format(100 * a.shape()), format(100 * a.answer()));
  }

  private static List<JsonNode> predictions(Path run, long step, String split) throws Exception {
    Path file =
        run.resolve("eval")
            .resolve(String.format(Locale.ROOT, "step-%08d", step))
            .resolve(split)
            .resolve(MmebEvaluator.PREDICTIONS_FILE);
    List<JsonNode> out = new ArrayList<>();
    for (String line : Files.readAllLines(file)) {
      if (!line.isBlank()) {
        out.add(JSON.readTree(line));
      }
    }
    return out;
  }

  /** The report from {@code heading} to the end of the first table after it. */
  private static String section(String report, String heading) {
    int start = report.indexOf(heading);
    assertTrue(start >= 0, heading + " in " + report);
    String rest = report.substring(start);
    int table = rest.indexOf("\n| ");
    int end = rest.indexOf("\n\n", table + 1);
    return rest.substring(0, end < 0 ? rest.length() : end);
  }

  /** The table's cells after the mode name, by mode. */
  private static Map<String, List<String>> tableRows(String report) {
    Map<String, List<String>> rows = new LinkedHashMap<>();
    for (String line : report.lines().toList()) {
      if (line.startsWith("| ") && !line.startsWith("| mode") && !line.startsWith("| LM")) {
        String[] cells = line.substring(2, line.length() - 2).split(" \\| ");
        rows.put(cells[0], List.of(cells).subList(1, cells.length));
      }
    }
    return rows;
  }

  private static List<Long> checkpointSteps(Path run) throws Exception {
    try (Stream<Path> s = Files.list(run.resolve("checkpoints"))) {
      return s.map(p -> p.getFileName().toString())
          .filter(n -> n.startsWith("step-"))
          .map(n -> Long.parseLong(n.substring("step-".length())))
          .sorted()
          .toList();
    }
  }

  private static JsonNode scores(Path run, long step, String split) throws Exception {
    Path file =
        run.resolve("eval")
            .resolve(String.format(Locale.ROOT, "step-%08d", step))
            .resolve(split)
            .resolve(MmebEvaluator.SCORES_FILE);
    return JSON.readTree(file.toFile());
  }

  /** Mean over all datasets of correct / n, as a percentage. */
  private static double overall(JsonNode scores) {
    return meanPrecision(scores, null);
  }

  private static double metaTask(JsonNode scores, String task) {
    return meanPrecision(scores, task);
  }

  private static double meanPrecision(JsonNode scores, String task) {
    double sum = 0;
    int count = 0;
    for (Iterator<JsonNode> it = scores.get("datasets").elements(); it.hasNext(); ) {
      JsonNode d = it.next();
      if (task == null || d.get("meta_task").asText().equals(task)) {
        sum += 100.0 * d.get("correct").asInt() / d.get("n").asInt();
        count++;
      }
    }
    assertTrue(count > 0, "no dataset for " + task);
    return sum / count;
  }

  private static String format(double v) {
    return String.format(Locale.ROOT, "%.1f", v);
  }
}
