package io.rge.eval.score;

import io.rge.data.registry.DatasetInfo;
import io.rge.data.registry.DatasetRegistry;
import io.rge.data.registry.Distribution;
import io.rge.data.registry.MetaTask;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The scores of an evaluation, aggregated as MMEB reports them: per dataset, the mean per
 * meta-task, IND, OOD and overall, each over the datasets present.
 *
 * @param registry the registry's name (e.g. "MMEB", "RGE-Synth")
 * @param datasets scores of the evaluated datasets, in registry order
 * @param missing registry datasets without a score, with the reason (in registry order)
 * @param metaTasks one aggregate per meta-task the registry uses, in {@link MetaTask} order
 * @param ind mean over the registry's IND datasets
 * @param ood mean over its OOD datasets
 * @param overall mean over all its datasets
 * @param distributionNote why IND/OOD are not applicable, or null when they are
 */
public record Scores(
    String registry,
    List<DatasetScore> datasets,
    Map<String, String> missing,
    Map<MetaTask, Aggregate> metaTasks,
    Aggregate ind,
    Aggregate ood,
    Aggregate overall,
    String distributionNote) {
  public Scores {
    datasets = List.copyOf(datasets);
    missing = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(missing));
    metaTasks = java.util.Collections.unmodifiableMap(new EnumMap<>(metaTasks));
  }

  /**
   * Aggregates dataset scores over a registry.
   *
   * @param notEvaluated registry datasets that were not evaluated, with the reason (e.g. "not in
   *     the data root"); a registry dataset in neither this map nor {@code scored} is reported as
   *     "not evaluated"
   * @throws IllegalArgumentException when a score names a dataset the registry does not list, or a
   *     dataset twice
   */
  public static Scores aggregate(
      DatasetRegistry registry, Collection<DatasetScore> scored, Map<String, String> notEvaluated) {
    Map<String, DatasetScore> byName = new LinkedHashMap<>();
    for (DatasetScore s : scored) {
      DatasetInfo info = registry.get(s.name());
      if (info.metaTask() != s.metaTask() || info.distribution() != s.distribution()) {
        throw new IllegalArgumentException(
            s.name() + ": score labels disagree with the " + registry.name() + " registry");
      }
      if (byName.put(s.name(), s) != null) {
        throw new IllegalArgumentException("dataset " + s.name() + " scored twice");
      }
    }
    List<DatasetScore> ordered = new ArrayList<>();
    Map<String, String> missing = new LinkedHashMap<>();
    for (String name : registry.names()) {
      DatasetScore s = byName.get(name);
      if (s != null) {
        ordered.add(s);
        if (!s.scored()) {
          missing.put(name, "no row could be scored (" + s.skippedRows() + " rows skipped)");
        }
      } else {
        missing.put(name, notEvaluated.getOrDefault(name, "not evaluated"));
      }
    }
    Map<MetaTask, Aggregate> tasks = new EnumMap<>(MetaTask.class);
    for (MetaTask task : MetaTask.values()) {
      List<DatasetInfo> members = registry.byMetaTask(task);
      if (!members.isEmpty()) {
        tasks.put(task, mean(task.label(), members, byName));
      }
    }
    boolean hasInd = !registry.byDistribution(Distribution.IND).isEmpty();
    boolean hasOod = !registry.byDistribution(Distribution.OOD).isEmpty();
    String note = null;
    Aggregate ind;
    Aggregate ood;
    if (hasInd && hasOod) {
      ind = mean("IND", registry.byDistribution(Distribution.IND), byName);
      ood = mean("OOD", registry.byDistribution(Distribution.OOD), byName);
    } else {
      note =
          "IND/OOD do not apply: the "
              + registry.name()
              + " registry labels every dataset "
              + (hasInd ? "IND" : "OOD");
      ind = Aggregate.notApplicable("IND");
      ood = Aggregate.notApplicable("OOD");
    }
    Aggregate overall = mean("Overall", registry.datasets(), byName);
    return new Scores(registry.name(), ordered, missing, tasks, ind, ood, overall, note);
  }

  private static Aggregate mean(
      String label, List<DatasetInfo> members, Map<String, DatasetScore> byName) {
    double sum = 0;
    int present = 0;
    List<String> missing = new ArrayList<>();
    for (DatasetInfo info : members) {
      DatasetScore s = byName.get(info.name());
      if (s != null && s.scored()) {
        sum += s.precisionAt1();
        present++;
      } else {
        missing.add(info.name());
      }
    }
    Double value = present == 0 ? null : sum / present;
    return new Aggregate(label, true, value, present, members.size(), missing);
  }

  /** The score of {@code dataset}, or null when it was not evaluated. */
  public DatasetScore dataset(String dataset) {
    Objects.requireNonNull(dataset, "dataset");
    for (DatasetScore s : datasets) {
      if (s.name().equals(dataset)) {
        return s;
      }
    }
    return null;
  }
}
