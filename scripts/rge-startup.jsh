// Loaded by `scripts/rge jshell` after jshell's DEFAULT startup.
import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.rge.core.*;
import io.rge.core.config.*;
import io.rge.core.qwen25vl.*;

System.out.println("RGE " + io.rge.core.ProjectVersion.get() + " -- DjlEngine.get() starts PyTorch; /exit to leave");

import io.rge.core.generation.*;
import java.awt.image.BufferedImage;
import java.nio.file.Path;

/** Loads a model folder (Hugging Face Qwen2.5-VL, an RGE checkpoint) on the CPU or a GPU. */
RgeModel load(String dir) throws java.io.IOException {
  return RgeModel.load(Path.of(dir), DeviceChoice.AUTO);
}

/** Reads an image file (refusing decompression bombs). */
BufferedImage image(String file) throws java.io.IOException {
  return io.rge.core.image.ImageFiles.read(Path.of(file), io.rge.core.image.ImageFiles.DEFAULT_MAX_PIXELS);
}
