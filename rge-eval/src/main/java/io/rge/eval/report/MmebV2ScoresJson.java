package io.rge.eval.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rge.eval.score.MmebV2Scores;
import io.rge.eval.score.RetrievalScore;
import java.util.Map;

/**
 * The {@code mmeb_v2} object of {@code scores.json}: per task its group, modality, main metric and
 * score (x 100, full precision, {@code null} when missing) with the extra ranking metrics where
 * known; per group column, modality and overall the mean with how many tasks it covers.
 */
public final class MmebV2ScoresJson {
  private static final ObjectMapper JSON = new ObjectMapper();

  private MmebV2ScoresJson() {}

  public static ObjectNode section(MmebV2Scores scores, Map<String, RetrievalScore> extras) {
    ObjectNode root = JSON.createObjectNode();
    ObjectNode tasks = root.putObject("tasks");
    for (MmebV2Scores.TaskValue value : scores.tasks()) {
      ObjectNode t = tasks.putObject(value.task().name());
      t.put("group", value.task().group().label());
      t.put("modality", value.task().modality().key());
      t.put("metric", value.task().metric().key());
      if (value.value() == null) {
        t.putNull("score");
        t.put("missing", scores.missing().get(value.task().name()));
      } else {
        t.put("score", value.value());
      }
      RetrievalScore extra = extras.get(value.task().name());
      if (extra != null) {
        t.put("queries", extra.queries());
        t.put("hit@1", extra.hitAt1());
        t.put("hit@5", extra.hitAt5());
        t.put("ndcg_linear@5", extra.ndcgAt5());
        t.put("ndcg_linear@10", extra.ndcgAt10());
        t.put("recall@5", extra.recallAt5());
      }
    }
    ObjectNode groups = root.putObject("groups");
    scores.groups().forEach((group, agg) -> groups.set(group.label(), ScoresJson.aggregate(agg)));
    ObjectNode modalities = root.putObject("modalities");
    scores
        .modalities()
        .forEach((modality, agg) -> modalities.set(modality.key(), ScoresJson.aggregate(agg)));
    root.set("overall", ScoresJson.aggregate(scores.overall()));
    return root;
  }
}
