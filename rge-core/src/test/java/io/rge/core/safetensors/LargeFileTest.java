package io.rge.core.safetensors;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Offsets beyond 2 GiB, on a sparse file: only the header and the tensors' few bytes take disk
 * space, the hole in between reads as zeros.
 */
class LargeFileTest {
  @TempDir Path tmp;

  @Test
  void readsTensorsStoredBeyondTwoGibibytes() throws Exception {
    long farBegin = 2_200_000_000L; // > 2^31 = 2_147_483_648
    String header =
        "{\"near\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
            + "\"hole\":{\"dtype\":\"BF16\",\"shape\":[3],\"data_offsets\":[2147483646,2147483652]},"
            + "\"far\":{\"dtype\":\"BF16\",\"shape\":[2,2],\"data_offsets\":["
            + farBegin
            + ","
            + (farBegin + 8)
            + "]}}";
    byte[] json = header.getBytes(StandardCharsets.UTF_8);
    long dataStart = 8 + json.length;
    Path f = tmp.resolve("sparse.safetensors");
    try (RandomAccessFile raf = new RandomAccessFile(f.toFile(), "rw")) {
      raf.setLength(dataStart + farBegin + 8);
      ByteBuffer prefix =
          ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(json.length);
      raf.write(prefix.array());
      raf.write(json);
      raf.write(RawSafetensors.le32(1.5f, -0.25f));
      raf.seek(dataStart + farBegin);
      raf.write(RawSafetensors.le16(0x3f80, 0xc000, 0x4049, 0xff80)); // 1, -2, 3.140625, -inf
    }
    try (SafetensorsFile st = SafetensorsFile.open(f)) {
      assertArrayEquals(new float[] {1.5f, -0.25f}, st.readFloats("near"));
      assertArrayEquals(
          new float[] {1f, -2f, 3.140625f, Float.NEGATIVE_INFINITY}, st.readFloats("far"));
      ByteBuffer fp32 = st.read("far", Precision.FP32);
      assertEquals(-2f, fp32.getFloat(4));
      ByteBuffer fp16 = st.read("far", Precision.FP16);
      assertEquals((short) 0x4248, fp16.getShort(4));
      // A tensor straddling the 2 GiB boundary, inside the hole: zeros.
      assertArrayEquals(new float[3], st.readFloats("hole"));
    }
  }
}
