package io.rge.core;

import ai.djl.Device;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The devices a run uses, in RGE's one device vocabulary ({@code devices:} in a config, {@code
 * --device} and {@code --devices} on the command line), one model replica per entry: {@code cpu},
 * {@code gpu<N>} ({@code gpu} and {@code cuda} are {@code gpu0}), {@code auto} alone (the first GPU
 * when the engine sees one, else the CPU) or {@code all} alone (every GPU the engine sees). One
 * entry is one model on one device ({@code device: gpu} is {@code devices: [gpu]}); several are
 * data-parallel replicas. {@code cpu} may repeat — several replicas on the CPU compute exactly what
 * GPUs would, which is how data-parallel training is tested — a GPU may not. The first entry holds
 * the lead replica and the optimizer, so it is {@code cpu}, {@code auto} or {@code gpu0}; other
 * GPUs are chosen with {@code CUDA_VISIBLE_DEVICES}.
 *
 * @param entries the entries, trimmed and lower-cased ({@code gpu} written {@code gpu0})
 */
public record DeviceList(List<String> entries) {
  private static final Pattern GPU = Pattern.compile("gpu(\\d{0,4})");
  private static final String ALL = "all";
  private static final String AUTO = "auto";
  private static final String CPU = "cpu";

  public DeviceList {
    entries = List.copyOf(entries);
  }

  /** One model on {@code choice}. */
  public static DeviceList of(DeviceChoice choice) {
    return new DeviceList(
        List.of(
            switch (choice) {
              case CPU -> CPU;
              case GPU -> "gpu0";
              case AUTO -> AUTO;
            }));
  }

  /** Parses a command-line value: entries separated by commas ({@code gpu0,gpu1}). */
  public static DeviceList parse(String commaSeparated) {
    return parse(Arrays.asList(commaSeparated.split(",", -1)));
  }

  /**
   * Checks the entries' form (no engine needed).
   *
   * @throws IllegalArgumentException one line naming the entry at fault and what was expected
   */
  public static DeviceList parse(List<String> raw) {
    if (raw == null || raw.isEmpty()) {
      throw new IllegalArgumentException(
          "devices: the list is empty; give cpu, gpu0, gpu1, ... or all");
    }
    List<String> entries = new ArrayList<>();
    for (String r : raw) {
      String e = entry(r);
      if (e == null) {
        throw new IllegalArgumentException(
            "devices: '" + r + "' is not cpu, gpu<N> (gpu0, gpu1, ...) or all");
      }
      entries.add(e);
    }
    for (String alone : List.of(ALL, AUTO)) {
      if (entries.contains(alone) && entries.size() > 1) {
        throw new IllegalArgumentException(
            "devices: "
                + alone
                + " stands alone ("
                + (alone.equals(ALL) ? "every GPU the engine sees" : "a GPU when there is one")
                + "), not in "
                + raw);
      }
    }
    if (entries.contains(CPU) && entries.stream().anyMatch(e -> e.startsWith("gpu"))) {
      throw new IllegalArgumentException(
          "devices: " + raw + " mixes the CPU and GPUs; give replicas of one kind");
    }
    Set<String> seen = new HashSet<>();
    for (String e : entries) {
      if (!e.equals(CPU) && !seen.add(e)) {
        throw new IllegalArgumentException(
            "devices: " + e + " is listed twice; a GPU holds one replica (only cpu may repeat)");
      }
    }
    String first = entries.get(0);
    if (first.startsWith("gpu") && !first.equals("gpu0")) {
      throw new IllegalArgumentException(
          "devices: the first entry holds the lead replica and the optimizer and must be gpu0, got "
              + first
              + " (choose which GPUs a run sees with CUDA_VISIBLE_DEVICES)");
    }
    return new DeviceList(entries);
  }

  /**
   * One entry in its written form ({@code gpu} as {@code gpu0}), or null when it is not one. The
   * one reading of a device name: {@link DeviceChoice#parse} takes its single-device entries.
   */
  static String entry(String raw) {
    String e = raw == null ? "" : raw.trim().toLowerCase(Locale.ROOT);
    if (e.equals("cuda")) {
      e = "gpu";
    }
    Matcher gpu = GPU.matcher(e);
    if (gpu.matches()) {
      return "gpu" + (gpu.group(1).isEmpty() ? 0 : Integer.parseInt(gpu.group(1)));
    }
    return e.equals(CPU) || e.equals(ALL) || e.equals(AUTO) ? e : null;
  }

  /** The entries, as a config writes them. */
  @JsonValue
  @Override
  public List<String> entries() {
    return entries;
  }

  /** Where the lead replica (the one the optimizer updates) lives. */
  public DeviceChoice lead() {
    return switch (entries.get(0)) {
      case CPU -> DeviceChoice.CPU;
      case AUTO -> DeviceChoice.AUTO;
      default -> DeviceChoice.GPU;
    };
  }

  /** Whether the run may have more than one replica ({@code all} may mean one GPU or several). */
  public boolean mayReplicate() {
    return entries.size() > 1 || entries.get(0).equals(ALL);
  }

  /**
   * The devices, one per replica, lead first, on the engine this process loaded. The lead resolves
   * as {@link DjlEngine#device} does, whose error names the missing GPU.
   */
  public List<Device> resolve() {
    Device lead = DjlEngine.device(lead());
    if (!mayReplicate()) {
      return List.of(lead);
    }
    return resolve(DjlEngine.get().getGpuCount());
  }

  /**
   * The devices, one per replica, lead first.
   *
   * @param gpuCount GPUs the engine sees
   * @throws IllegalArgumentException naming a GPU that is not visible, or {@code all} without GPUs
   */
  public List<Device> resolve(int gpuCount) {
    List<Device> devices = new ArrayList<>();
    if (entries.get(0).equals(ALL)) {
      if (gpuCount == 0) {
        throw new IllegalArgumentException(
            "devices: all, but the PyTorch engine sees no GPU; install a CUDA build of libtorch"
                + " (README, 'Using a GPU') or give devices: [cpu, cpu] for replicas on the CPU");
      }
      for (int i = 0; i < gpuCount; i++) {
        devices.add(Device.gpu(i));
      }
      return devices;
    }
    for (String e : entries) {
      if (e.equals(CPU) || (e.equals(AUTO) && gpuCount == 0)) {
        devices.add(Device.cpu());
        continue;
      }
      int index = e.equals(AUTO) ? 0 : Integer.parseInt(e.substring(3));
      if (index >= gpuCount) {
        throw new IllegalArgumentException(
            "devices: "
                + e
                + " is not visible: the PyTorch engine sees "
                + (gpuCount == 0 ? "no GPU" : gpuCount + " GPU(s), gpu0 to gpu" + (gpuCount - 1)));
      }
      devices.add(Device.gpu(index));
    }
    return devices;
  }
}
