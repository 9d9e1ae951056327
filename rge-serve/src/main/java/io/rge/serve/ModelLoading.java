package io.rge.serve;

import io.rge.core.DeviceChoice;
import io.rge.core.LoadOptions;
import io.rge.core.RgeModel;
import io.rge.core.precision.ComputePrecision;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Where the server gets its model: the one call into RgeModel's loading API.
 *
 * @param modelDir a model folder or RGE checkpoint
 * @param adapterDir a PEFT adapter folder on top of it, or null
 * @param device where the model runs
 * @param precision compute precision, null for the device's default
 */
public record ModelLoading(
    Path modelDir, Path adapterDir, DeviceChoice device, ComputePrecision precision) {
  public ModelLoading {
    if (modelDir == null) {
      throw new IllegalArgumentException("a model folder is required");
    }
    if (device == null) {
      throw new IllegalArgumentException("a device is required");
    }
  }

  RgeModel load() throws IOException {
    return RgeModel.load(
        LoadOptions.builder()
            .setModel(modelDir)
            .optAdapters(adapterDir)
            .optDevice(device)
            .optPrecision(precision)
            .build());
  }
}
