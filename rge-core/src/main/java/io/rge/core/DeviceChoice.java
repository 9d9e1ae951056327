package io.rge.core;

import java.util.Locale;

/** Where the model runs: the CPU, the first GPU, or a GPU when one is present. */
public enum DeviceChoice {
  CPU,
  GPU,
  AUTO;

  /** Parses {@code cpu}, {@code gpu} or {@code auto} (any case); names the bad value otherwise. */
  public static DeviceChoice parse(String value) {
    return switch (value == null ? "" : value.trim().toLowerCase(Locale.ROOT)) {
      case "cpu" -> CPU;
      case "gpu", "cuda" -> GPU;
      case "auto" -> AUTO;
      default ->
          throw new IllegalArgumentException("device '" + value + "' is not one of cpu, gpu, auto");
    };
  }
}
