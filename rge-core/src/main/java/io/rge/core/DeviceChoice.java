package io.rge.core;

/**
 * Where one model runs: the CPU, the first GPU, or a GPU when one is present. The single-device
 * entries of {@link DeviceList}'s vocabulary, read by it.
 */
public enum DeviceChoice {
  CPU,
  GPU,
  AUTO;

  /**
   * Parses {@code cpu}, {@code gpu} (also {@code gpu0}, {@code cuda}) or {@code auto} (any case);
   * names the bad value otherwise.
   */
  public static DeviceChoice parse(String value) {
    String entry = DeviceList.entry(value);
    if (entry == null
        || entry.equals("all")
        || (entry.startsWith("gpu") && !entry.equals("gpu0"))) {
      throw new IllegalArgumentException("device '" + value + "' is not one of cpu, gpu, auto");
    }
    return new DeviceList(java.util.List.of(entry)).lead();
  }
}
