package io.rge.training.memory;

import ai.djl.Device;
import ai.djl.util.cuda.CudaUtils;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;

/** How many bytes a device can hold: a GPU's memory, or the machine's RAM for the CPU. */
public final class DeviceMemory {
  private DeviceMemory() {}

  /** The device's capacity, or empty when it cannot be read. */
  public static OptionalLong capacity(Device device) {
    if (device.isGpu()) {
      return OptionalLong.of(CudaUtils.getGpuMemory(device).getMax());
    }
    return memTotal(Path.of("/proc/meminfo"));
  }

  /** {@code MemTotal} of a {@code /proc/meminfo} file, in bytes. */
  static OptionalLong memTotal(Path meminfo) {
    try {
      for (String line : Files.readAllLines(meminfo)) {
        if (line.startsWith("MemTotal:")) {
          String kib = line.substring("MemTotal:".length()).replace("kB", "").trim();
          return OptionalLong.of(Long.parseLong(kib) * 1024);
        }
      }
    } catch (IOException | NumberFormatException e) {
      // unknown: the plan is printed but not enforced
    }
    return OptionalLong.empty();
  }

  /**
   * Refuses a plan that does not fit, with its numbers.
   *
   * @throws IllegalStateException naming the plan's parts, the total and the capacity
   */
  public static void require(MemoryPlan plan, Device device, OptionalLong capacity) {
    if (capacity.isPresent() && !plan.fits(capacity.getAsLong())) {
      throw new IllegalStateException(
          "the run does not fit on "
              + device
              + ": it needs about "
              + MemoryPlan.gib(plan.totalBytes())
              + " but the device holds "
              + MemoryPlan.gib(capacity.getAsLong())
              + " ("
              + plan.describe().replace(System.lineSeparator(), "; ").replaceAll(" +", " ")
              + "); try activation_checkpointing: true, a smaller batch_size, or trainable:"
              + " freeze_vision");
    }
  }
}
