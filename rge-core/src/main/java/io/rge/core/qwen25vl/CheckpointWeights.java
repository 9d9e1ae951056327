package io.rge.core.qwen25vl;

import io.rge.core.NonFinite;
import io.rge.core.safetensors.CheckpointFiles;
import io.rge.core.safetensors.Precision;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;

/**
 * A validated checkpoint whose tensors are read on demand under canonical names (see {@link
 * WeightLoader#open}). Holds the checkpoint's files open (memory-mapped) until closed.
 */
public final class CheckpointWeights implements WeightSource, AutoCloseable {
  private final CheckpointFiles files;
  private final Map<String, String> storedNames;
  private final Map<String, long[]> shapes;

  CheckpointWeights(
      CheckpointFiles files, Map<String, String> storedNames, Map<String, long[]> shapes) {
    this.files = files;
    this.storedNames = Map.copyOf(storedNames);
    this.shapes = Map.copyOf(shapes);
  }

  /** Canonical names present, sorted. */
  public Set<String> names() {
    return new java.util.TreeSet<>(storedNames.keySet());
  }

  public long[] shape(String name) {
    return stored(name) == null ? null : shapes.get(name).clone();
  }

  /** The values of {@code name} converted to {@code precision}. */
  public ByteBuffer read(String name, Precision precision) throws IOException {
    String stored = stored(name);
    return files.fileOf(stored).read(stored, precision);
  }

  @Override
  public float[] floats(String name, long[] shape) {
    String stored = stored(name);
    if (!Arrays.equals(shapes.get(name), shape)) {
      throw new CheckpointException(
          files.dir()
              + ": tensor '"
              + name
              + "' has shape "
              + Arrays.toString(shapes.get(name))
              + ", the model expects "
              + Arrays.toString(shape));
    }
    try {
      float[] values = files.fileOf(stored).readFloats(stored);
      int bad = NonFinite.firstIndex(values);
      if (bad >= 0) {
        throw new CheckpointException(
            files.fileOf(stored).path()
                + ": tensor '"
                + stored
                + "' holds "
                + NonFinite.describe(values, bad)
                + "; the checkpoint is damaged (re-download it or resume from an earlier one)");
      }
      return values;
    } catch (IOException e) {
      throw new UncheckedIOException(files.dir() + ": reading '" + stored + "'", e);
    }
  }

  private String stored(String name) {
    String stored = storedNames.get(name);
    if (stored == null) {
      throw new CheckpointException(files.dir() + ": no tensor '" + name + "' in the checkpoint");
    }
    return stored;
  }

  @Override
  public void close() throws IOException {
    files.close();
  }
}
