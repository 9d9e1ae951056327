package io.rge.core.qwen25vl;

import io.rge.core.safetensors.HalfFloat;
import io.rge.core.safetensors.Precision;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.ShortBuffer;
import java.util.Arrays;
import java.util.Collections;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * An immutable set of model weights under canonical names (see {@link CheckpointLayout}), each a
 * shape plus a direct little-endian buffer of fp32 or fp16 values ({@link #precision()}),
 * row-major.
 *
 * <p>To make a DJL array: {@code manager.create(w.buffer(name), new Shape(w.shape(name)),
 * DataType.FLOAT32)} (or {@code FLOAT16}). DJL's PyTorch engine wraps a direct buffer on the CPU
 * <em>without copying</em>, so such an array shares memory with this set: take {@code
 * NDArray.duplicate()} before updating parameters in place, or this set stops being immutable.
 */
public final class WeightSet {
  private final Precision precision;
  private final Map<String, Tensor> tensors;

  /** One weight: shape and its values (position 0, little-endian). */
  record Tensor(long[] shape, ByteBuffer data) {
    long elementCount() {
      return Arrays.stream(shape).reduce(1, Math::multiplyExact);
    }
  }

  WeightSet(Precision precision, Map<String, Tensor> tensors) {
    this.precision = precision;
    this.tensors = Collections.unmodifiableMap(new TreeMap<>(tensors));
  }

  /**
   * Builds a weight set from fp32 arrays (row-major), converting to {@code precision}. The names
   * must be exactly those of {@link CheckpointLayout#expectedShapes} for {@code config} and each
   * array must have the matching element count. Useful for randomly initialised models.
   */
  public static WeightSet fromFloats(
      Qwen25VLConfig config, Map<String, float[]> values, Precision precision) {
    Map<String, long[]> expected = CheckpointLayout.expectedShapes(config);
    WeightCheck.names(
        "weights", expected.keySet(), values.keySet(), WeightLoader.Strictness.STRICT);
    Map<String, Tensor> tensors = new TreeMap<>();
    for (Map.Entry<String, long[]> e : expected.entrySet()) {
      float[] data = values.get(e.getKey());
      long count = Arrays.stream(e.getValue()).reduce(1, Math::multiplyExact);
      if (data.length != count) {
        throw new CheckpointException(
            "weights: tensor '"
                + e.getKey()
                + "' has "
                + data.length
                + " values, expected "
                + count
                + " for shape "
                + Arrays.toString(e.getValue()));
      }
      tensors.put(e.getKey(), new Tensor(e.getValue(), encode(data, precision)));
    }
    return new WeightSet(precision, tensors);
  }

  public Precision precision() {
    return precision;
  }

  /** Canonical names, sorted. */
  public Set<String> names() {
    return tensors.keySet();
  }

  public boolean contains(String name) {
    return tensors.containsKey(name);
  }

  /** The shape of {@code name}, outermost dimension first. */
  public long[] shape(String name) {
    return tensor(name).shape().clone();
  }

  /**
   * The values of {@code name}: a read-only, direct, little-endian view at position 0 holding
   * {@code product(shape) × precision.byteSize()} bytes (see the class comment about DJL).
   */
  public ByteBuffer buffer(String name) {
    return tensor(name).data().asReadOnlyBuffer().order(ByteOrder.LITTLE_ENDIAN);
  }

  /** The values of {@code name} as a new fp32 array, row-major. */
  public float[] floats(String name) {
    ByteBuffer data = buffer(name);
    if (precision == Precision.FP32) {
      float[] out = new float[data.remaining() / 4];
      data.asFloatBuffer().get(out);
      return out;
    }
    short[] bits = new short[data.remaining() / 2];
    data.asShortBuffer().get(bits);
    float[] out = new float[bits.length];
    for (int i = 0; i < bits.length; i++) {
      out[i] = HalfFloat.fp16ToFloat(bits[i]);
    }
    return out;
  }

  /** Bytes of all values together. */
  public long totalBytes() {
    return tensors.values().stream().mapToLong(t -> t.data().capacity()).sum();
  }

  Tensor tensor(String name) {
    Tensor t = tensors.get(name);
    if (t == null) {
      throw new IllegalArgumentException("no weight '" + name + "' in this set");
    }
    return t;
  }

  Map<String, Tensor> tensors() {
    return tensors;
  }

  /** Encodes fp32 values as a new direct little-endian buffer of {@code precision}. */
  static ByteBuffer encode(float[] values, Precision precision) {
    ByteBuffer out =
        ByteBuffer.allocateDirect(values.length * precision.byteSize())
            .order(ByteOrder.LITTLE_ENDIAN);
    if (precision == Precision.FP32) {
      FloatBuffer f = out.asFloatBuffer();
      f.put(values);
    } else {
      ShortBuffer s = out.asShortBuffer();
      for (float v : values) {
        s.put(HalfFloat.floatToFp16(v));
      }
    }
    return out;
  }
}
