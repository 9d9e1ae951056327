package io.rge.eval.report;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.rge.core.config.ConfigLoader;
import io.rge.data.mmebv2.MmebV2Tasks;
import io.rge.eval.score.MmebV2Scores;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Map.Entry;

/**
 * Published MMEB-V2 results for the report's reference table ({@code
 * configs/reference-mmeb-v2.yaml}): models with all their per-task scores, aggregated by the same
 * code as RGE's own, and peers with only their overall score.
 *
 * @param source where the numbers come from
 * @param models models with per-task scores
 * @param peers models with an overall score only
 */
public record MmebV2Reference(String source, List<Model> models, List<Peer> peers) {
  public MmebV2Reference {
    source = source == null ? "" : source;
    models = models == null ? List.of() : List.copyOf(models);
    peers = peers == null ? List.of() : List.copyOf(peers);
  }

  /**
   * A model's published per-task main metric.
   *
   * @param model the row's label
   * @param source the file or table the numbers were taken from
   * @param tasks task name to its main metric as published: a fraction in [0, 1] (the reference's
   *     score files write hit@1 and ndcg_linear@5 so)
   * @param publishedOverall the overall score the model's authors report (x 100), or null
   */
  public record Model(
      @JsonProperty(required = true) String model,
      String source,
      @JsonProperty(required = true) Map<String, Double> tasks,
      Double publishedOverall) {
    public Model {
      source = source == null ? "" : source;
      tasks = Collections.unmodifiableMap(new LinkedHashMap<>(tasks));
      for (Entry<String, Double> e : tasks.entrySet()) {
        if (MmebV2Tasks.all().find(e.getKey()).isEmpty()) {
          throw new IllegalArgumentException(model + ": unknown MMEB-V2 task '" + e.getKey() + "'");
        }
        if (e.getValue() == null || !(e.getValue() >= 0 && e.getValue() <= 1)) {
          throw new IllegalArgumentException(
              model + ": " + e.getKey() + " = " + e.getValue() + ", expected a fraction in [0, 1]");
        }
      }
    }

    /** The scores aggregated as the leaderboard does (tasks absent here shown as missing). */
    public MmebV2Scores scores() {
      Map<String, Double> percent = new LinkedHashMap<>();
      tasks.forEach((task, fraction) -> percent.put(task, 100 * fraction));
      return MmebV2Scores.aggregate(MmebV2Tasks.all(), percent, Map.of());
    }
  }

  /**
   * A model known only by its overall score.
   *
   * @param model the row's label
   * @param overall its MMEB-V2 overall score (x 100)
   * @param source where it is published
   */
  public record Peer(@JsonProperty(required = true) String model, double overall, String source) {
    public Peer {
      source = source == null ? "" : source;
    }
  }

  /** Reads a reference file strictly (unknown keys and bad numbers fail, naming the line). */
  public static MmebV2Reference load(Path file) {
    return ConfigLoader.load(file, MmebV2Reference.class).config();
  }
}
