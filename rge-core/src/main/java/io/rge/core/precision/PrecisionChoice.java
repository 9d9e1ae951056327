package io.rge.core.precision;

import ai.djl.Device;

/**
 * Resolves a requested precision (or none: {@code auto}) for a device: fp32 on the CPU; on a GPU
 * bf16 where the JNI library maps it, else fp16. A request for bf16 where it is not mapped is an
 * error that names the fix, raised before any bf16 array exists.
 */
public final class PrecisionChoice {
  private PrecisionChoice() {}

  /**
   * Parses a config or command-line value: {@code auto} (or null/blank) gives null, anything else
   * {@link ComputePrecision#parse}.
   */
  public static ComputePrecision parseOrAuto(String value) {
    if (value == null || value.isBlank() || value.trim().equalsIgnoreCase("auto")) {
      return null;
    }
    return ComputePrecision.parse(value);
  }

  /**
   * @param requested the precision asked for, or null for the device's default
   * @throws IllegalStateException when bf16 is asked for and {@code bf16} says it is not mapped
   */
  public static ComputePrecision resolve(
      ComputePrecision requested, Device device, Bf16Support bf16) {
    if (requested == null) {
      if (!device.isGpu()) {
        return ComputePrecision.FP32;
      }
      return bf16.mapped() ? ComputePrecision.BF16 : ComputePrecision.FP16;
    }
    if (requested == ComputePrecision.BF16 && !bf16.mapped()) {
      throw new IllegalStateException(bf16.unavailableReason());
    }
    return requested;
  }

  /**
   * {@link #resolve(ComputePrecision, Device, Bf16Support)} for the library this process loaded.
   */
  public static ComputePrecision resolve(ComputePrecision requested, Device device) {
    return resolve(requested, device, Bf16Support.ofLoadedLibrary());
  }
}
