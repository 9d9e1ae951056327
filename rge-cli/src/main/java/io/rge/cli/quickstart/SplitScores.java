package io.rge.cli.quickstart;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.rge.data.registry.MetaTask;
import io.rge.data.synth.RationaleAccuracy;
import io.rge.eval.score.Aggregate;
import io.rge.eval.score.DatasetScore;
import io.rge.eval.score.Scores;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The quickstart's view of one evaluation: P@1 per meta-task and overall (means over the RGE-Synth
 * datasets, ×100).
 *
 * @param step the checkpoint's optimizer step
 * @param split "held-out" (compositions never seen in training) or "seen"
 * @param rationale how often the generated rationales got colour, shape and answer right; null when
 *     queries were embedded without reasoning
 * @param datasets P@1 of each dataset (×100, in registry order); null in files written before it
 *     was recorded
 */
record SplitScores(
    @JsonProperty("step") long step,
    @JsonProperty("split") String split,
    @JsonProperty("meta_tasks") Map<String, Double> metaTasks,
    @JsonProperty("overall") double overall,
    @JsonProperty("rationale") RationaleAccuracy rationale,
    @JsonProperty("datasets") Map<String, Double> datasets) {

  static SplitScores of(long step, String split, Scores scores, RationaleAccuracy rationale) {
    Map<String, Double> tasks = new LinkedHashMap<>();
    for (MetaTask t : MetaTask.values()) {
      Aggregate a = scores.metaTasks().get(t);
      tasks.put(t.label(), a == null || a.value() == null ? Double.NaN : a.value());
    }
    Map<String, Double> datasets = new LinkedHashMap<>();
    for (DatasetScore d : scores.datasets()) {
      datasets.put(d.name(), d.scored() ? d.precisionAt1() : Double.NaN);
    }
    Double overall = scores.overall().value();
    return new SplitScores(
        step, split, tasks, overall == null ? Double.NaN : overall, rationale, datasets);
  }
}
