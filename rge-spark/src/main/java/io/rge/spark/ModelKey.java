package io.rge.spark;

import io.rge.core.DeviceChoice;
import io.rge.core.precision.ComputePrecision;
import java.io.Serializable;
import java.util.Objects;

/**
 * Which model an executor loads: a folder every executor can read, where it runs and in what
 * precision. Tasks with equal keys share one loaded model per JVM ({@link ExecutorModels}).
 *
 * @param modelDir the model folder, absolute (executors resolve it on their own file system)
 * @param device cpu, gpu or auto, resolved on the executor
 * @param precision the compute precision, or null for the device's default (fp32 on the CPU)
 */
record ModelKey(String modelDir, DeviceChoice device, ComputePrecision precision)
    implements Serializable {
  ModelKey {
    Objects.requireNonNull(modelDir, "modelDir");
    Objects.requireNonNull(device, "device");
  }
}
