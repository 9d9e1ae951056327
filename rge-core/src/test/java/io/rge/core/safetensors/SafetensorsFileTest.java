package io.rge.core.safetensors;

import static io.rge.core.safetensors.RawSafetensors.build;
import static io.rge.core.safetensors.RawSafetensors.le16;
import static io.rge.core.safetensors.RawSafetensors.le32;
import static io.rge.core.safetensors.RawSafetensors.le64;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rge.testfixtures.TestFixtures;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SafetensorsFileTest {
  @TempDir Path tmp;

  static Path fixture(String relative) throws Exception {
    return TestFixtures.tinyModel().resolve(relative);
  }

  @Test
  void readsEveryFixtureTensorExactlyAsDecodedByHand() throws Exception {
    Path file = fixture("model.safetensors");
    RawSafetensors raw = RawSafetensors.of(file);
    Set<String> rawNames = new TreeSet<>();
    raw.header().fieldNames().forEachRemaining(rawNames::add);
    rawNames.remove("__metadata__");
    try (SafetensorsFile st = SafetensorsFile.open(file)) {
      assertEquals(rawNames, st.names());
      for (String name : st.names()) {
        float[] values = st.readFloats(name);
        assertEquals(raw.elements(name), values.length, name);
        for (int i = 0; i < values.length; i++) {
          assertEquals(
              Float.floatToRawIntBits(raw.f32(name, i)),
              Float.floatToRawIntBits(values[i]),
              name + "[" + i + "]");
        }
        ByteBuffer direct = st.read(name, Precision.FP32);
        assertTrue(direct.isDirect());
        assertEquals(ByteOrder.LITTLE_ENDIAN, direct.order());
        assertEquals(0, direct.position());
        float[] fromBuffer = new float[values.length];
        direct.asFloatBuffer().get(fromBuffer);
        assertArrayEquals(values, fromBuffer, name);
      }
      TensorInfo patch = st.info("visual.patch_embed.proj.weight");
      assertArrayEquals(new long[] {32, 3, 2, 14, 14}, patch.shape());
      assertEquals(DType.F32, patch.dtype());
      assertEquals(32L * 3 * 2 * 14 * 14 * 4, patch.byteLength());
    }
  }

  @Test
  void convertsFixtureF32ToFp16ByRoundingEachValue() throws Exception {
    Path file = fixture("model.safetensors");
    RawSafetensors raw = RawSafetensors.of(file);
    try (SafetensorsFile st = SafetensorsFile.open(file)) {
      String name = "model.layers.1.mlp.up_proj.weight";
      ByteBuffer half = st.read(name, Precision.FP16);
      assertEquals(raw.elements(name) * 2, half.capacity());
      for (int i = 0; i < raw.elements(name); i++) {
        assertEquals(HalfFloat.floatToFp16(raw.f32(name, i)), half.getShort(2 * i), "element " + i);
      }
    }
  }

  /** Hand-assembled file with one tensor of each supported kind and a gap between two tensors. */
  private Path mixedFile() throws Exception {
    String header =
        "{\"__metadata__\":{\"format\":\"pt\"},"
            + "\"b\":{\"dtype\":\"BF16\",\"shape\":[2,2],\"data_offsets\":[0,8]},"
            + "\"h\":{\"dtype\":\"F16\",\"shape\":[3],\"data_offsets\":[8,14]},"
            + "\"d\":{\"dtype\":\"F64\",\"shape\":[1],\"data_offsets\":[16,24]},"
            + "\"l\":{\"dtype\":\"I64\",\"shape\":[2],\"data_offsets\":[24,40]},"
            + "\"i\":{\"dtype\":\"I32\",\"shape\":[2],\"data_offsets\":[40,48]},"
            + "\"s\":{\"dtype\":\"F32\",\"shape\":[],\"data_offsets\":[48,52]}}";
    ByteArrayOutputStream data = new ByteArrayOutputStream();
    data.writeBytes(le16(0x3f80, 0xc000, 0x4049, 0x7f80)); // 1, -2, 3.140625, +inf
    data.writeBytes(le16(0x3c00, 0x0001, 0xfc00)); // 1, 2^-24, -inf
    data.writeBytes(new byte[2]); // gap
    data.writeBytes(le64(Double.doubleToRawLongBits(0.1)));
    data.writeBytes(le64(-5, 1L << 40));
    byte[] ints = new byte[8];
    ByteBuffer.wrap(ints).order(ByteOrder.LITTLE_ENDIAN).putInt(-7).putInt(123456);
    data.writeBytes(ints);
    data.writeBytes(le32(2.5f));
    Path file = tmp.resolve("mixed.safetensors");
    Files.write(file, build(header, data.toByteArray()));
    return file;
  }

  @Test
  void convertsEveryDtypeToFp32AndFp16() throws Exception {
    try (SafetensorsFile st = SafetensorsFile.open(mixedFile())) {
      assertEquals(Map.of("format", "pt"), st.metadata());
      assertArrayEquals(
          new float[] {1f, -2f, 3.140625f, Float.POSITIVE_INFINITY}, st.readFloats("b"));
      ByteBuffer b32 = st.read("b", Precision.FP32);
      assertEquals(3.140625f, b32.getFloat(8));
      ByteBuffer b16 = st.read("b", Precision.FP16);
      assertEquals((short) 0x3c00, b16.getShort(0));
      assertEquals((short) 0xc000, b16.getShort(2));
      assertEquals((short) 0x4248, b16.getShort(4), "3.140625 is exact in fp16");
      assertEquals((short) 0x7c00, b16.getShort(6));

      assertArrayEquals(new float[] {1f, 0x1p-24f, Float.NEGATIVE_INFINITY}, st.readFloats("h"));
      ByteBuffer h16 = st.read("h", Precision.FP16);
      assertEquals(ByteBuffer.wrap(le16(0x3c00, 0x0001, 0xfc00)), h16, "F16 copied verbatim");

      assertArrayEquals(new float[] {0.1f}, st.readFloats("d"));
      assertEquals(0.1f, st.read("d", Precision.FP32).getFloat(0));
      assertArrayEquals(new long[] {-5, 1L << 40}, st.readLongs("l"));
      assertArrayEquals(new long[] {-7, 123456}, st.readLongs("i"));
      assertArrayEquals(new float[] {2.5f}, st.readFloats("s"));
      assertArrayEquals(new long[0], st.info("s").shape());
      assertEquals(1, st.info("s").elementCount());

      SafetensorsException notFloat =
          assertThrows(SafetensorsException.class, () -> st.readFloats("l"));
      assertTrue(notFloat.getMessage().contains("'l' is I64"), notFloat.getMessage());
      SafetensorsException notInt =
          assertThrows(SafetensorsException.class, () -> st.readLongs("b"));
      assertTrue(notInt.getMessage().contains("'b' is BF16"), notInt.getMessage());
      SafetensorsException absent = assertThrows(SafetensorsException.class, () -> st.info("zz"));
      assertTrue(absent.getMessage().contains("mixed.safetensors"), absent.getMessage());
      assertTrue(absent.getMessage().contains("'zz'"), absent.getMessage());
    }
  }

  @Test
  void readsIntoACallerBufferAtItsPosition() throws Exception {
    try (SafetensorsFile st = SafetensorsFile.open(mixedFile())) {
      ByteBuffer dst = ByteBuffer.allocate(4 + 16).order(ByteOrder.LITTLE_ENDIAN);
      dst.position(4);
      st.readInto("b", Precision.FP32, dst);
      assertEquals(20, dst.position());
      assertEquals(1f, dst.getFloat(4));
      assertEquals(Float.POSITIVE_INFINITY, dst.getFloat(16));
      assertThrows(
          IllegalArgumentException.class,
          () ->
              st.readInto(
                  "b", Precision.FP32, ByteBuffer.allocate(15).order(ByteOrder.LITTLE_ENDIAN)));
      assertThrows(
          IllegalArgumentException.class,
          () -> st.readInto("b", Precision.FP32, ByteBuffer.allocate(16)),
          "big-endian refused");
    }
  }

  @Test
  void refusesReadsAfterClose() throws Exception {
    SafetensorsFile st = SafetensorsFile.open(mixedFile());
    st.close();
    assertThrows(IllegalStateException.class, () -> st.readFloats("b"));
  }

  @Test
  void readsAcrossManyWindowsOfABf16Tensor() throws Exception {
    // 34M bf16 values = 68 MB, more than one 64 MiB mapping window.
    int n = 34_000_000;
    ByteBuffer data = ByteBuffer.allocateDirect(n * 2).order(ByteOrder.LITTLE_ENDIAN);
    for (int i = 0; i < n; i++) {
      data.putShort((short) (0x3f80 + (i % 128))); // 1 + k/128 for k in [0, 128)
    }
    data.flip();
    Path file = tmp.resolve("big.safetensors");
    new SafetensorsWriter().addBytes("w", DType.BF16, new long[] {n}, data).write(file);
    try (SafetensorsFile st = SafetensorsFile.open(file)) {
      float[] values = st.readFloats("w");
      ByteBuffer fp16 = st.read("w", Precision.FP16);
      for (int i = 0; i < n; i += 9_973) {
        float expected = 1f + (i % 128) / 128f;
        assertEquals(expected, values[i], "element " + i);
        assertEquals(HalfFloat.floatToFp16(expected), fp16.getShort(2 * i), "fp16 element " + i);
      }
      assertEquals(1f + ((n - 1) % 128) / 128f, values[n - 1]);
    }
  }
}
