package io.rge.core.safetensors;

/**
 * Conversions between 16-bit floating-point formats and {@code float}.
 *
 * <p>IEEE binary16 (fp16) conversions handle zeros, subnormals, infinities and NaN, and narrowing
 * rounds to nearest, ties to even, as hardware does. bfloat16 is the upper half of a binary32, so
 * widening it is a shift. Java 17 has no {@code Float.float16ToFloat}, hence this class.
 */
public final class HalfFloat {
  /** fp32 bit patterns of all 65536 fp16 values, so bulk widening is one table look-up. */
  private static final int[] FP16_TO_FP32_BITS = new int[1 << 16];

  static {
    for (int h = 0; h < FP16_TO_FP32_BITS.length; h++) {
      FP16_TO_FP32_BITS[h] = fp16ToFp32Bits((short) h);
    }
  }

  private HalfFloat() {}

  /** Widens fp16 bits to the exactly equal float (NaN payloads are kept). */
  public static float fp16ToFloat(short bits) {
    return Float.intBitsToFloat(FP16_TO_FP32_BITS[bits & 0xffff]);
  }

  /** Narrows a float to fp16 bits, rounding to nearest even; overflow gives infinity. */
  public static short floatToFp16(float value) {
    int bits = Float.floatToRawIntBits(value);
    int sign = (bits >>> 16) & 0x8000;
    int abs = bits & 0x7fffffff;
    if (abs >= 0x7f800000) {
      if (abs == 0x7f800000) {
        return (short) (sign | 0x7c00);
      }
      // NaN stays NaN: keep the top payload bits and force the quiet bit so it is never infinity.
      return (short) (sign | 0x7e00 | ((abs >>> 13) & 0x3ff));
    }
    if (abs >= 0x477ff000) {
      // 65520 is halfway between the largest fp16 (65504, odd mantissa) and 65536: rounds up.
      return (short) (sign | 0x7c00);
    }
    if (abs >= 0x38800000) {
      // Normal fp16: re-bias the exponent (127 - 15 = 112) and drop 13 mantissa bits.
      int h = (abs - 0x38000000) >>> 13;
      int rest = abs & 0x1fff;
      if (rest > 0x1000 || (rest == 0x1000 && (h & 1) != 0)) {
        h++; // a carry out of the mantissa correctly bumps the exponent
      }
      return (short) (sign | h);
    }
    if (abs < 0x33000000) {
      return (short) sign; // below half the smallest subnormal (2^-25): rounds to zero
    }
    // Subnormal fp16: count units of 2^-24.
    int exponent = abs >>> 23;
    int mantissa = (abs & 0x7fffff) | 0x800000;
    int shift = 126 - exponent;
    int h = mantissa >>> shift;
    int rest = mantissa & ((1 << shift) - 1);
    int half = 1 << (shift - 1);
    if (rest > half || (rest == half && (h & 1) != 0)) {
      h++;
    }
    return (short) (sign | h);
  }

  /**
   * Narrows a float to bfloat16 bits, rounding to nearest, ties to even (as {@code torch.Tensor.to(
   * torch.bfloat16)}); overflow past bf16's largest finite value gives infinity, NaN stays NaN.
   */
  public static short floatToBf16(float value) {
    int bits = Float.floatToRawIntBits(value);
    if ((bits & 0x7fffffff) > 0x7f800000) {
      return (short) ((bits >>> 16) | 0x0040); // quiet NaN, sign and top payload bits kept
    }
    int lsb = (bits >>> 16) & 1;
    return (short) ((bits + 0x7fff + lsb) >>> 16);
  }

  /** Widens bfloat16 bits to the exactly equal float. */
  public static float bf16ToFloat(short bits) {
    return Float.intBitsToFloat(bits << 16);
  }

  /** fp16 bits of a bfloat16 value (rounded to nearest even); table-backed for bulk conversion. */
  static short bf16ToFp16Fast(short bits) {
    return Bf16ToFp16.TABLE[bits & 0xffff];
  }

  /** Built on first use only: most loads never narrow bf16 to fp16. */
  private static final class Bf16ToFp16 {
    static final short[] TABLE = new short[1 << 16];

    static {
      for (int b = 0; b < TABLE.length; b++) {
        TABLE[b] = floatToFp16(bf16ToFloat((short) b));
      }
    }
  }

  /** fp32 bits of an fp16 value; table-backed for bulk conversion. */
  static int fp16ToFp32BitsFast(short bits) {
    return FP16_TO_FP32_BITS[bits & 0xffff];
  }

  private static int fp16ToFp32Bits(short h) {
    int sign = (h & 0x8000) << 16;
    int exponent = (h >>> 10) & 0x1f;
    int mantissa = h & 0x3ff;
    if (exponent == 0x1f) {
      return sign | 0x7f800000 | (mantissa << 13);
    }
    if (exponent == 0) {
      // Zero or subnormal: mantissa * 2^-24 is exact in float.
      float magnitude = mantissa * 0x1p-24f;
      return sign | Float.floatToRawIntBits(magnitude);
    }
    return sign | ((exponent + 112) << 23) | (mantissa << 13);
  }
}
