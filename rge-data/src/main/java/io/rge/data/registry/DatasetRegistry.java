package io.rge.data.registry;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * An ordered set of evaluation datasets with their meta-task and IND/OOD label, so evaluation can
 * aggregate scores by meta-task and distribution the same way for MMEB ({@link #mmeb()}) and for
 * RGE-Synth ({@code RgeSynth.registry()}). Immutable.
 */
public final class DatasetRegistry {
  private final String name;
  private final Map<String, DatasetInfo> byName = new LinkedHashMap<>();

  /**
   * @param name what the registry describes (e.g. "MMEB")
   * @param datasets datasets in reporting order; names must be unique
   */
  public DatasetRegistry(String name, List<DatasetInfo> datasets) {
    this.name = name;
    for (DatasetInfo dataset : datasets) {
      if (byName.putIfAbsent(dataset.name(), dataset) != null) {
        throw new IllegalArgumentException(
            "dataset " + dataset.name() + " listed twice in " + name);
      }
    }
  }

  /** The 36 MMEB evaluation datasets (TIGER-Lab/MMEB-eval), in MMEB's reporting order. */
  public static DatasetRegistry mmeb() {
    return MmebDatasets.REGISTRY;
  }

  public String name() {
    return name;
  }

  public List<DatasetInfo> datasets() {
    return List.copyOf(byName.values());
  }

  public List<String> names() {
    return List.copyOf(byName.keySet());
  }

  public Optional<DatasetInfo> find(String dataset) {
    return Optional.ofNullable(byName.get(dataset));
  }

  /** The dataset named {@code dataset}; fails with the known names when there is none. */
  public DatasetInfo get(String dataset) {
    DatasetInfo info = byName.get(dataset);
    if (info == null) {
      throw new IllegalArgumentException(
          "unknown dataset '" + dataset + "' in " + name + "; known: " + byName.keySet());
    }
    return info;
  }

  public List<DatasetInfo> byMetaTask(MetaTask task) {
    List<DatasetInfo> out = new ArrayList<>();
    for (DatasetInfo info : byName.values()) {
      if (info.metaTask() == task) {
        out.add(info);
      }
    }
    return out;
  }

  public List<DatasetInfo> byDistribution(Distribution distribution) {
    List<DatasetInfo> out = new ArrayList<>();
    for (DatasetInfo info : byName.values()) {
      if (info.distribution() == distribution) {
        out.add(info);
      }
    }
    return out;
  }

  public int size() {
    return byName.size();
  }
}
