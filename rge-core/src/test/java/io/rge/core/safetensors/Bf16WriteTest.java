package io.rge.core.safetensors;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** fp32 → bf16 rounding (nearest, ties to even) and BF16 tensors written from floats. */
class Bf16WriteTest {
  @TempDir Path dir;

  /** Inputs and their bf16 bits, worked out by hand from the fp32 bit patterns. */
  private static final float[] IN = {
    1.0f, // 0x3F800000: exact → 0x3F80
    1.00390625f, // 1 + 2⁻⁸ = 0x3F808000: a tie between 0x3F80 and 0x3F81 → even 0x3F80
    1.01171875f, // 1 + 3·2⁻⁸ = 0x3F818000: a tie between 0x3F81 and 0x3F82 → even 0x3F82
    Float.intBitsToFloat(0x3F808001), // just above the tie → 0x3F81
    0.1f, // 0x3DCCCCCD: low half 0xCCCD > 0x8000 → 0x3DCD
    -2.5f, // 0xC0200000 → 0xC020
    Float.MAX_VALUE, // 0x7F7FFFFF rounds past bf16's largest finite → +inf 0x7F80
    Float.NEGATIVE_INFINITY, // 0xFF800000 → 0xFF80
  };

  private static final short[] BITS = {
    0x3F80, 0x3F80, 0x3F82, 0x3F81, 0x3DCD, (short) 0xC020, 0x7F80, (short) 0xFF80
  };

  @Test
  void roundsToNearestEven() {
    for (int i = 0; i < IN.length; i++) {
      assertEquals(BITS[i], HalfFloat.floatToBf16(IN[i]), "value " + IN[i]);
    }
    assertEquals(0.10009765625f, HalfFloat.bf16ToFloat(HalfFloat.floatToBf16(0.1f)));
    assertTrue(Float.isNaN(HalfFloat.bf16ToFloat(HalfFloat.floatToBf16(Float.NaN))));
    // A NaN whose payload sits in the low half stays NaN (not infinity).
    assertTrue(
        Float.isNaN(
            HalfFloat.bf16ToFloat(HalfFloat.floatToBf16(Float.intBitsToFloat(0x7F800001)))));
  }

  @Test
  void aBf16TensorWrittenFromFloatsReadsBackAsTheRoundedValues() throws Exception {
    Path file = dir.resolve("t.safetensors");
    new SafetensorsWriter().addFloats("t", new long[] {2, 4}, DType.BF16, () -> IN).write(file);
    byte[] bytes = Files.readAllBytes(file);
    ByteBuffer data = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    long header = data.getLong(0);
    for (int i = 0; i < BITS.length; i++) {
      assertEquals(BITS[i], data.getShort((int) (8 + header + 2L * i)), "element " + i);
    }
    try (SafetensorsFile in = SafetensorsFile.open(file)) {
      assertEquals(DType.BF16, in.info("t").dtype());
      assertArrayEquals(new long[] {2, 4}, in.info("t").shape());
      float[] expected = new float[BITS.length];
      for (int i = 0; i < BITS.length; i++) {
        expected[i] = HalfFloat.bf16ToFloat(BITS[i]);
      }
      assertArrayEquals(expected, in.readFloats("t"));
    }
  }
}
