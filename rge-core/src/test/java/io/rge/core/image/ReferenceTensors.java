package io.rge.core.image;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * Test-only reader of the reference tensors in the fixtures' {@code .safetensors} files (F32 and
 * I64 only, whole file in memory). The production reader lives elsewhere; this one exists so the
 * tests here do not depend on it.
 */
public final class ReferenceTensors {
  private final JsonNode header;
  private final ByteBuffer data;
  private final String name;

  private ReferenceTensors(String name, byte[] bytes) {
    this.name = name;
    ByteBuffer all = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    long headerLength = all.getLong(0);
    String json = new String(bytes, 8, (int) headerLength, StandardCharsets.UTF_8);
    try {
      header = new ObjectMapper().readTree(json);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    data = all.position(8 + (int) headerLength).slice().order(ByteOrder.LITTLE_ENDIAN);
  }

  /** Loads a classpath resource, e.g. {@code /fixtures/qwen25vl-tiny/expected.safetensors}. */
  public static ReferenceTensors load(String resource) {
    try (InputStream in =
        Objects.requireNonNull(
            ReferenceTensors.class.getResourceAsStream(resource), "missing " + resource)) {
      return new ReferenceTensors(resource, in.readAllBytes());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public long[] shape(String tensor) {
    JsonNode shape = entry(tensor).get("shape");
    long[] out = new long[shape.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = shape.get(i).asLong();
    }
    return out;
  }

  public float[] f32(String tensor) {
    ByteBuffer b = bytes(tensor, "F32", 4);
    float[] out = new float[b.remaining() / 4];
    b.asFloatBuffer().get(out);
    return out;
  }

  public long[] i64(String tensor) {
    ByteBuffer b = bytes(tensor, "I64", 8);
    long[] out = new long[b.remaining() / 8];
    b.asLongBuffer().get(out);
    return out;
  }

  /** Row {@code row} of a 2-D I64 tensor, as ints. */
  public int[] i64Row(String tensor, int row) {
    long[] all = i64(tensor);
    int cols = (int) shape(tensor)[1];
    int[] out = new int[cols];
    for (int i = 0; i < cols; i++) {
      out[i] = Math.toIntExact(all[row * cols + i]);
    }
    return out;
  }

  private JsonNode entry(String tensor) {
    JsonNode e = header.get(tensor);
    if (e == null) {
      throw new IllegalArgumentException(name + " has no tensor " + tensor);
    }
    return e;
  }

  private ByteBuffer bytes(String tensor, String dtype, int size) {
    JsonNode e = entry(tensor);
    if (!dtype.equals(e.get("dtype").asText())) {
      throw new IllegalArgumentException(tensor + " is " + e.get("dtype") + ", not " + dtype);
    }
    int begin = e.get("data_offsets").get(0).asInt();
    int end = e.get("data_offsets").get(1).asInt();
    long count = 1;
    for (long d : shape(tensor)) {
      count *= d;
    }
    if ((end - begin) != count * size) {
      throw new IllegalArgumentException(tensor + ": byte length does not match its shape");
    }
    return data.duplicate().position(begin).limit(end).slice().order(ByteOrder.LITTLE_ENDIAN);
  }
}
