package io.rge.spark;

import io.rge.core.DeviceChoice;
import io.rge.core.precision.ComputePrecision;
import io.rge.core.qwen25vl.ModelFolderCheck;
import java.io.IOException;
import java.io.Serializable;
import java.nio.file.Path;
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

  /**
   * The key of {@code modelDir}, checked on the driver first: a folder that is no model fails here,
   * fast, not in every task.
   */
  static ModelKey checked(Path modelDir, DeviceChoice device, ComputePrecision precision)
      throws IOException {
    ModelFolderCheck.check(modelDir);
    return new ModelKey(modelDir.toAbsolutePath().normalize().toString(), device, precision);
  }
}
