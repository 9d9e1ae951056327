package io.rge.eval.score;

import io.rge.data.mmebv2.MmebV2Task;
import io.rge.data.mmebv2.MmebV2Tasks;
import io.rge.data.mmebv2.Modality;
import io.rge.data.mmebv2.TaskGroup;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * MMEB-V2 scores aggregated as the leaderboard does: each group column, each modality and the
 * overall score are plain means of their tasks' main metric (x 100). The overall is the mean over
 * the 78 tasks, not the mean of the three modality means. A task without a score is shown as
 * missing and left out of every mean, never counted as zero; a mean over fewer tasks than expected
 * says so ({@link Aggregate#cell()}).
 *
 * @param tasks every registry task in leaderboard order, with its score or null
 * @param missing tasks without a score, with the reason
 * @param groups one aggregate per group column, in column order
 * @param modalities one aggregate per modality (image, video, visdoc)
 * @param overall the mean over all tasks present
 */
public record MmebV2Scores(
    List<TaskValue> tasks,
    Map<String, String> missing,
    Map<TaskGroup, Aggregate> groups,
    Map<Modality, Aggregate> modalities,
    Aggregate overall) {
  /**
   * One task's main metric.
   *
   * @param task the task
   * @param value its main metric x 100, or null when missing
   */
  public record TaskValue(MmebV2Task task, Double value) {
    public TaskValue {
      Objects.requireNonNull(task, "task");
    }
  }

  public MmebV2Scores {
    tasks = List.copyOf(tasks);
    missing = Collections.unmodifiableMap(new LinkedHashMap<>(missing));
    groups = Collections.unmodifiableMap(new EnumMap<>(groups));
    modalities = Collections.unmodifiableMap(new EnumMap<>(modalities));
  }

  /**
   * Aggregates task scores over {@code registry}.
   *
   * @param scored main metric x 100 per task name
   * @param notEvaluated why a task has no score (e.g. "not in the data root"); a registry task in
   *     neither map is reported as "not evaluated"
   * @throws IllegalArgumentException naming the task when a name is unknown or a score is not a
   *     number in [0, 100]
   */
  public static MmebV2Scores aggregate(
      MmebV2Tasks registry, Map<String, Double> scored, Map<String, String> notEvaluated) {
    for (Map.Entry<String, Double> e : scored.entrySet()) {
      registry.get(e.getKey());
      Double v = e.getValue();
      if (v == null || !(v >= 0 && v <= 100)) {
        throw new IllegalArgumentException(
            "MMEB-V2 task " + e.getKey() + ": score " + v + " is not a number in [0, 100]");
      }
    }
    List<TaskValue> values = new ArrayList<>();
    Map<String, String> missing = new LinkedHashMap<>();
    for (MmebV2Task task : registry.tasks()) {
      Double v = scored.get(task.name());
      values.add(new TaskValue(task, v));
      if (v == null) {
        missing.put(task.name(), notEvaluated.getOrDefault(task.name(), "not evaluated"));
      }
    }
    Map<TaskGroup, Aggregate> groups = new EnumMap<>(TaskGroup.class);
    for (TaskGroup group : TaskGroup.values()) {
      groups.put(group, mean(group.label(), registry.byGroup(group), scored));
    }
    Map<Modality, Aggregate> modalities = new EnumMap<>(Modality.class);
    for (Modality modality : Modality.values()) {
      modalities.put(modality, mean(modality.key(), registry.byModality(modality), scored));
    }
    return new MmebV2Scores(
        values, missing, groups, modalities, mean("overall", registry.tasks(), scored));
  }

  private static Aggregate mean(
      String label, List<MmebV2Task> members, Map<String, Double> scored) {
    double sum = 0;
    int present = 0;
    List<String> absent = new ArrayList<>();
    for (MmebV2Task task : members) {
      Double v = scored.get(task.name());
      if (v == null) {
        absent.add(task.name());
      } else {
        sum += v;
        present++;
      }
    }
    return new Aggregate(
        label, true, present == 0 ? null : sum / present, present, members.size(), absent);
  }
}
