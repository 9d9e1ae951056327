package io.rge.data.synth;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * How much RGE-Synth to generate.
 *
 * @param trainRowsPerTask training rows of each of the 8 task datasets
 * @param describeRows rows of SynthDescribe (image -> "{colour} {shape}")
 * @param factRepetitions copies of each of the 48 facts in SynthFacts
 * @param evalRowsPerDataset eval rows per task dataset, in each of the held-out and seen splits
 * @param candidatesPerRow candidates per eval row (5..32); tasks whose answer pool is smaller (8
 *     colour names, 4 shape names) use the whole pool
 */
public record SynthSize(
    int trainRowsPerTask,
    int describeRows,
    int factRepetitions,
    int evalRowsPerDataset,
    int candidatesPerRow) {
  /** A few rows each, for tests. */
  public static final SynthSize TINY = new SynthSize(6, 8, 1, 4, 8);

  /** The default: enough for the quickstart's tiny model. */
  public static final SynthSize SMALL = new SynthSize(600, 600, 12, 100, 8);

  public static final SynthSize MEDIUM = new SynthSize(3000, 3000, 40, 400, 10);

  public SynthSize {
    if (trainRowsPerTask < 1 || describeRows < 1 || factRepetitions < 1 || evalRowsPerDataset < 1) {
      throw new IllegalArgumentException("every row count must be at least 1: " + this);
    }
    if (candidatesPerRow < 5 || candidatesPerRow > 32) {
      throw new IllegalArgumentException("candidatesPerRow must be 5..32, got " + candidatesPerRow);
    }
  }

  /** The named presets: tiny, small, medium. */
  public static Map<String, SynthSize> presets() {
    Map<String, SynthSize> presets = new LinkedHashMap<>();
    presets.put("tiny", TINY);
    presets.put("small", SMALL);
    presets.put("medium", MEDIUM);
    return presets;
  }

  /**
   * A preset by name (case-insensitive).
   *
   * @throws IllegalArgumentException naming the presets when there is no such one
   */
  public static SynthSize preset(String name) {
    SynthSize size = presets().get(name.toLowerCase(Locale.ROOT));
    if (size == null) {
      throw new IllegalArgumentException(
          "unknown size '" + name + "'; expected one of " + presets().keySet());
    }
    return size;
  }
}
