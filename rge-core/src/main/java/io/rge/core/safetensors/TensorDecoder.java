package io.rge.core.safetensors;

import java.nio.ByteBuffer;
import java.nio.DoubleBuffer;
import java.nio.IntBuffer;
import java.nio.ShortBuffer;

/**
 * Converts little-endian tensor bytes to fp32 or fp16. Works in blocks through primitive arrays, so
 * that the inner loops are plain array loops the JIT can vectorise and no element goes through a
 * virtual call. Sources and destinations must be little-endian buffers.
 */
final class TensorDecoder {
  private static final int BLOCK = 8192;

  private TensorDecoder() {}

  /** Appends the values in {@code src} (all remaining bytes) to {@code dst} as fp32. */
  static void toFp32(ByteBuffer src, DType dtype, ByteBuffer dst) {
    int n = src.remaining() / dtype.byteSize();
    if (dtype == DType.F32) {
      dst.put(src);
      return;
    }
    if (dtype == DType.BF16 || dtype == DType.F16) {
      // Widening 16-bit values is pure bit work, so it stays in int[] without touching floats.
      ShortBuffer in = src.asShortBuffer();
      IntBuffer out = dst.asIntBuffer();
      short[] a = new short[Math.min(BLOCK, n)];
      int[] b = new int[a.length];
      for (int done = 0; done < n; ) {
        int m = Math.min(a.length, n - done);
        in.get(a, 0, m);
        if (dtype == DType.BF16) {
          for (int i = 0; i < m; i++) {
            b[i] = a[i] << 16;
          }
        } else {
          for (int i = 0; i < m; i++) {
            b[i] = HalfFloat.fp16ToFp32BitsFast(a[i]);
          }
        }
        out.put(b, 0, m);
        done += m;
      }
    } else {
      FloatBlocks in = new FloatBlocks(src, dtype);
      float[] f = new float[Math.min(BLOCK, n)];
      var out = dst.asFloatBuffer();
      for (int done = 0; done < n; ) {
        int m = Math.min(f.length, n - done);
        in.next(f, 0, m);
        out.put(f, 0, m);
        done += m;
      }
    }
    dst.position(dst.position() + n * 4);
  }

  /**
   * Appends the values in {@code src} to {@code dst} as fp16, rounding to nearest even. F64 goes
   * through float first; that double rounding can differ from a direct F64→fp16 rounding in the
   * last bit in rare ties.
   */
  static void toFp16(ByteBuffer src, DType dtype, ByteBuffer dst) {
    int n = src.remaining() / dtype.byteSize();
    if (dtype == DType.F16) {
      dst.put(src);
      return;
    }
    ShortBuffer out = dst.asShortBuffer();
    if (dtype == DType.BF16) {
      // Every bf16 value has a precomputed fp16 image, so narrowing is one look-up.
      ShortBuffer in = src.asShortBuffer();
      short[] a = new short[Math.min(BLOCK, n)];
      for (int done = 0; done < n; ) {
        int m = Math.min(a.length, n - done);
        in.get(a, 0, m);
        for (int i = 0; i < m; i++) {
          a[i] = HalfFloat.bf16ToFp16Fast(a[i]);
        }
        out.put(a, 0, m);
        done += m;
      }
      dst.position(dst.position() + n * 2);
      return;
    }
    FloatBlocks in = new FloatBlocks(src, dtype);
    float[] f = new float[Math.min(BLOCK, n)];
    short[] h = new short[f.length];
    for (int done = 0; done < n; ) {
      int m = Math.min(f.length, n - done);
      in.next(f, 0, m);
      for (int i = 0; i < m; i++) {
        h[i] = HalfFloat.floatToFp16(f[i]);
      }
      out.put(h, 0, m);
      done += m;
    }
    dst.position(dst.position() + n * 2);
  }

  /** Writes the values in {@code src} to {@code dst[offset...]} as floats. */
  static void toFloats(ByteBuffer src, DType dtype, float[] dst, int offset) {
    int n = src.remaining() / dtype.byteSize();
    FloatBlocks in = new FloatBlocks(src, dtype);
    for (int done = 0; done < n; ) {
      int m = Math.min(BLOCK, n - done);
      in.next(dst, offset + done, m);
      done += m;
    }
  }

  /** Reads successive runs of a floating-point source as floats. */
  private static final class FloatBlocks {
    private final DType dtype;
    private final ByteBuffer bytes;
    private short[] shorts;
    private double[] doubles;

    FloatBlocks(ByteBuffer src, DType dtype) {
      if (!dtype.isFloatingPoint()) {
        throw new IllegalArgumentException("not a floating-point dtype: " + dtype);
      }
      this.dtype = dtype;
      this.bytes = src;
    }

    void next(float[] out, int off, int m) {
      switch (dtype) {
        case F32 -> {
          bytes.asFloatBuffer().get(out, off, m);
          bytes.position(bytes.position() + m * 4);
        }
        case BF16, F16 -> {
          short[] a = shortScratch(m);
          bytes.asShortBuffer().get(a, 0, m);
          bytes.position(bytes.position() + m * 2);
          if (dtype == DType.BF16) {
            for (int i = 0; i < m; i++) {
              out[off + i] = Float.intBitsToFloat(a[i] << 16);
            }
          } else {
            for (int i = 0; i < m; i++) {
              out[off + i] = Float.intBitsToFloat(HalfFloat.fp16ToFp32BitsFast(a[i]));
            }
          }
        }
        default -> {
          double[] a = doubleScratch(m);
          DoubleBuffer in = bytes.asDoubleBuffer();
          in.get(a, 0, m);
          bytes.position(bytes.position() + m * 8);
          for (int i = 0; i < m; i++) {
            out[off + i] = (float) a[i];
          }
        }
      }
    }

    private short[] shortScratch(int m) {
      if (shorts == null || shorts.length < m) {
        shorts = new short[Math.max(m, BLOCK)];
      }
      return shorts;
    }

    private double[] doubleScratch(int m) {
      if (doubles == null || doubles.length < m) {
        doubles = new double[Math.max(m, BLOCK)];
      }
      return doubles;
    }
  }
}
