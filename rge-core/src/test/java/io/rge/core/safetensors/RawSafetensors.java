package io.rge.core.safetensors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Test-side reference for the safetensors format, independent of the production reader: parses the
 * header as a JSON tree and decodes values with explicit byte arithmetic.
 */
public final class RawSafetensors {
  private final byte[] bytes;
  private final JsonNode header;
  private final int dataStart;

  private RawSafetensors(byte[] bytes) throws IOException {
    this.bytes = bytes;
    long n = 0;
    for (int i = 7; i >= 0; i--) {
      n = (n << 8) | (bytes[i] & 0xff);
    }
    this.header =
        new ObjectMapper().readTree(new String(bytes, 8, (int) n, StandardCharsets.UTF_8));
    this.dataStart = 8 + (int) n;
  }

  public static RawSafetensors of(Path file) throws IOException {
    return new RawSafetensors(Files.readAllBytes(file));
  }

  public JsonNode header() {
    return header;
  }

  /** Element {@code index} of an F32 tensor, decoded from its four little-endian bytes. */
  public float f32(String tensor, int index) {
    JsonNode entry = header.get(tensor);
    if (!"F32".equals(entry.get("dtype").asText())) {
      throw new IllegalArgumentException(tensor + " is not F32");
    }
    int at = dataStart + entry.get("data_offsets").get(0).asInt() + 4 * index;
    int bits =
        (bytes[at] & 0xff)
            | (bytes[at + 1] & 0xff) << 8
            | (bytes[at + 2] & 0xff) << 16
            | (bytes[at + 3] & 0xff) << 24;
    return Float.intBitsToFloat(bits);
  }

  /** Number of elements of {@code tensor} according to its header shape. */
  public long elements(String tensor) {
    long n = 1;
    for (JsonNode d : header.get(tensor).get("shape")) {
      n *= d.asLong();
    }
    return n;
  }

  /** Builds a safetensors file from a header text and raw data bytes, without any validation. */
  public static byte[] build(String headerJson, byte[] data) {
    byte[] h = headerJson.getBytes(StandardCharsets.UTF_8);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    long n = h.length;
    for (int i = 0; i < 8; i++) {
      out.write((int) (n >>> (8 * i)) & 0xff);
    }
    out.writeBytes(h);
    out.writeBytes(data);
    return out.toByteArray();
  }

  /** Little-endian bytes of a sequence of 16-bit values. */
  public static byte[] le16(int... values) {
    byte[] b = new byte[values.length * 2];
    for (int i = 0; i < values.length; i++) {
      b[2 * i] = (byte) values[i];
      b[2 * i + 1] = (byte) (values[i] >>> 8);
    }
    return b;
  }

  /** Little-endian bytes of floats. */
  public static byte[] le32(float... values) {
    byte[] b = new byte[values.length * 4];
    for (int i = 0; i < values.length; i++) {
      int bits = Float.floatToRawIntBits(values[i]);
      for (int k = 0; k < 4; k++) {
        b[4 * i + k] = (byte) (bits >>> (8 * k));
      }
    }
    return b;
  }

  /** Little-endian bytes of longs. */
  public static byte[] le64(long... values) {
    byte[] b = new byte[values.length * 8];
    for (int i = 0; i < values.length; i++) {
      for (int k = 0; k < 8; k++) {
        b[8 * i + k] = (byte) (values[i] >>> (8 * k));
      }
    }
    return b;
  }
}
