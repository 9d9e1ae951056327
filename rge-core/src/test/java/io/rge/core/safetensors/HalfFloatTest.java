package io.rge.core.safetensors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

class HalfFloatTest {

  private static short h(int bits) {
    return (short) bits;
  }

  @Test
  void widensFp16ToHandComputedValues() {
    assertEquals(1.0f, HalfFloat.fp16ToFloat(h(0x3c00)));
    assertEquals(-2.0f, HalfFloat.fp16ToFloat(h(0xc000)));
    assertEquals(65504.0f, HalfFloat.fp16ToFloat(h(0x7bff)), "largest finite");
    assertEquals(0x1p-14f, HalfFloat.fp16ToFloat(h(0x0400)), "smallest normal");
    assertEquals(0x1p-24f, HalfFloat.fp16ToFloat(h(0x0001)), "smallest subnormal");
    assertEquals(1023 * 0x1p-24f, HalfFloat.fp16ToFloat(h(0x03ff)), "largest subnormal");
    assertEquals(0.0f, HalfFloat.fp16ToFloat(h(0x0000)));
    assertEquals(
        Float.floatToRawIntBits(-0.0f), Float.floatToRawIntBits(HalfFloat.fp16ToFloat(h(0x8000))));
    assertEquals(Float.POSITIVE_INFINITY, HalfFloat.fp16ToFloat(h(0x7c00)));
    assertEquals(Float.NEGATIVE_INFINITY, HalfFloat.fp16ToFloat(h(0xfc00)));
    assertTrue(Float.isNaN(HalfFloat.fp16ToFloat(h(0x7e00))));
    assertTrue(Float.isNaN(HalfFloat.fp16ToFloat(h(0x7c01))), "signalling NaN stays NaN");
    assertEquals(0.333251953125f, HalfFloat.fp16ToFloat(h(0x3555)));
  }

  @Test
  void narrowsFloatToFp16WithRoundToNearestEven() {
    assertEquals(h(0x3c00), HalfFloat.floatToFp16(1.0f));
    assertEquals(h(0xc000), HalfFloat.floatToFp16(-2.0f));
    assertEquals(h(0x2e66), HalfFloat.floatToFp16(0.1f), "0.1 -> 0.0999755859375");
    assertEquals(h(0x3555), HalfFloat.floatToFp16(1f / 3f));
    // 1 + 2^-11 lies exactly between 0x3c00 and 0x3c01: ties go to the even mantissa.
    assertEquals(h(0x3c00), HalfFloat.floatToFp16(1f + 0x1p-11f));
    // 1 + 3*2^-11 lies between 0x3c01 and 0x3c02: even is 0x3c02.
    assertEquals(h(0x3c02), HalfFloat.floatToFp16(1f + 3 * 0x1p-11f));
    // Just above the tie rounds up.
    assertEquals(h(0x3c01), HalfFloat.floatToFp16(Math.nextUp(1f + 0x1p-11f)));
    assertEquals(h(0x7bff), HalfFloat.floatToFp16(65504f));
    assertEquals(h(0x7bff), HalfFloat.floatToFp16(65519.996f), "below the tie stays finite");
    assertEquals(h(0x7c00), HalfFloat.floatToFp16(65520f), "tie above max rounds to infinity");
    assertEquals(h(0x7c00), HalfFloat.floatToFp16(1e10f));
    assertEquals(h(0xfc00), HalfFloat.floatToFp16(-1e10f));
    assertEquals(h(0x7c00), HalfFloat.floatToFp16(Float.POSITIVE_INFINITY));
    assertEquals(h(0x8000), HalfFloat.floatToFp16(-0.0f));
  }

  @Test
  void narrowsSubnormalsCorrectly() {
    assertEquals(h(0x0001), HalfFloat.floatToFp16(0x1p-24f), "smallest subnormal");
    assertEquals(h(0x0000), HalfFloat.floatToFp16(0x1p-25f), "half of it ties to even zero");
    assertEquals(h(0x0001), HalfFloat.floatToFp16(Math.nextUp(0x1p-25f)), "just above the tie");
    assertEquals(h(0x0002), HalfFloat.floatToFp16(1.5f * 0x1p-24f), "1.5 units ties to even 2");
    assertEquals(h(0x0002), HalfFloat.floatToFp16(2.5f * 0x1p-24f), "2.5 units ties to even 2");
    assertEquals(h(0x0004), HalfFloat.floatToFp16(3.5f * 0x1p-24f), "3.5 units ties to even 4");
    assertEquals(h(0x03ff), HalfFloat.floatToFp16(1023 * 0x1p-24f), "largest subnormal");
    assertEquals(
        h(0x0400), HalfFloat.floatToFp16(1023.5f * 0x1p-24f), "rounds up into the normals");
    assertEquals(h(0x0000), HalfFloat.floatToFp16(Float.MIN_VALUE), "float subnormal underflows");
    assertEquals(h(0x8001), HalfFloat.floatToFp16(-0x1p-24f));
  }

  @Test
  void nanStaysNanWhenNarrowed() {
    short nan = HalfFloat.floatToFp16(Float.NaN);
    assertEquals(0x7c00, nan & 0x7c00, "exponent all ones");
    assertTrue((nan & 0x3ff) != 0, "mantissa non-zero, so not infinity");
    // A NaN whose payload lives only in the low float bits must not become infinity.
    short lowPayload = HalfFloat.floatToFp16(Float.intBitsToFloat(0x7f800001));
    assertTrue(Float.isNaN(HalfFloat.fp16ToFloat(lowPayload)));
  }

  @Test
  void everyFp16ValueRoundTripsThroughFloat() {
    for (int bits = 0; bits < 0x10000; bits++) {
      float f = HalfFloat.fp16ToFloat(h(bits));
      short back = HalfFloat.floatToFp16(f);
      if (Float.isNaN(f)) {
        assertTrue(Float.isNaN(HalfFloat.fp16ToFloat(back)));
      } else {
        assertEquals(h(bits), back, "fp16 bits " + Integer.toHexString(bits));
      }
    }
  }

  @Test
  void narrowingPicksTheNearestFp16AndTheEvenOneOnTies() {
    Random random = new Random(7);
    for (int i = 0; i < 50_000; i++) {
      // Magnitudes from the subnormal range up to past the fp16 maximum.
      float f = (float) (Math.scalb(random.nextDouble(), random.nextInt(44) - 26));
      if (random.nextBoolean()) {
        f = -f;
      }
      short got = HalfFloat.floatToFp16(f);
      double value = HalfFloat.fp16ToFloat(got);
      if (Double.isInfinite(value)) {
        assertTrue(Math.abs(f) >= 65520f, "only values >= 65520 overflow: " + f);
        continue;
      }
      double error = Math.abs(value - f);
      for (int neighbour : new int[] {(got & 0xffff) - 1, (got & 0xffff) + 1}) {
        if ((neighbour & 0x7fff) >= 0x7c00 || neighbour < 0 || neighbour > 0xffff) {
          continue;
        }
        if (((neighbour ^ got) & 0x8000) != 0) {
          continue; // crossing the sign is not a neighbour in magnitude
        }
        double other = Math.abs(HalfFloat.fp16ToFloat(h(neighbour)) - f);
        assertTrue(error <= other, f + " -> " + value + " but " + neighbour + " is nearer");
        if (error == other) {
          assertEquals(0, got & 1, "tie must pick the even mantissa for " + f);
        }
      }
    }
  }

  @Test
  void widensBf16ByShifting() {
    assertEquals(1.0f, HalfFloat.bf16ToFloat(h(0x3f80)));
    assertEquals(-2.0f, HalfFloat.bf16ToFloat(h(0xc000)));
    assertEquals(3.140625f, HalfFloat.bf16ToFloat(h(0x4049)));
    assertEquals(Float.POSITIVE_INFINITY, HalfFloat.bf16ToFloat(h(0x7f80)));
    assertTrue(Float.isNaN(HalfFloat.bf16ToFloat(h(0x7fc0))));
    assertEquals(0x1p-133f, HalfFloat.bf16ToFloat(h(0x0001)), "bf16 subnormal");
    assertEquals(
        Float.floatToRawIntBits(-0.0f), Float.floatToRawIntBits(HalfFloat.bf16ToFloat(h(0x8000))));
  }

  @Test
  void bf16ToFp16TableAgreesWithTheTwoStepConversion() {
    for (int b = 0; b < 0x10000; b++) {
      short viaFloat = HalfFloat.floatToFp16(HalfFloat.bf16ToFloat(h(b)));
      assertEquals(viaFloat, HalfFloat.bf16ToFp16Fast(h(b)), Integer.toHexString(b));
    }
    assertEquals(h(0x4248), HalfFloat.bf16ToFp16Fast(h(0x4049)), "3.140625");
    assertEquals(h(0x7c00), HalfFloat.bf16ToFp16Fast(h(0x4780)), "65536 overflows fp16");
    assertEquals(h(0x0000), HalfFloat.bf16ToFp16Fast(h(0x3300)), "2^-25 ties to zero");
  }
}
