package io.rge.core.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The fixed-point resampler against a plain double-precision evaluation of the same definition
 * (antialiased Keys cubic, a = -0.5, support 2 widened by the downscale factor, no intermediate
 * rounding). The fixtures cover upscaling bit-exactly; these cover downscaling, where the
 * antialiasing support matters, and mixed cases.
 */
class BicubicResamplerTest {

  @ParameterizedTest
  @CsvSource({"37,23,13,9", "37,23,61,47", "40,30,20,30", "40,30,40,7", "100,75,28,56"})
  void agreesWithAFloatingPointReferenceWithinOneLevel(int inW, int inH, int outW, int outH) {
    // Levels in [64, 192): the cubic's overshoot then never reaches 0 or 255, so clipping between
    // the passes (which the reference does not model) cannot occur.
    byte[] in = new byte[inW * inH * 3];
    Random random = new Random(7);
    for (int i = 0; i < in.length; i++) {
      in[i] = (byte) (64 + random.nextInt(128));
    }
    byte[] got = BicubicResampler.resize(in, inW, inH, outW, outH);
    assertEquals(outW * outH * 3, got.length);
    double[][] wx = referenceWeights(inW, outW);
    double[][] wy = referenceWeights(inH, outH);
    int worst = 0;
    for (int y = 0; y < outH; y++) {
      for (int x = 0; x < outW; x++) {
        for (int c = 0; c < 3; c++) {
          double sum = 0;
          for (int sy = 0; sy < inH; sy++) {
            if (wy[y][sy] == 0) {
              continue;
            }
            double rowSum = 0;
            for (int sx = 0; sx < inW; sx++) {
              rowSum += wx[x][sx] * (in[(sy * inW + sx) * 3 + c] & 0xff);
            }
            sum += wy[y][sy] * rowSum;
          }
          int want = (int) Math.max(0, Math.min(255, Math.round(sum)));
          worst = Math.max(worst, Math.abs(want - (got[(y * outW + x) * 3 + c] & 0xff)));
        }
      }
    }
    // The reference skips the uint8 rounding between the two passes; that alone can move a value
    // by one level after the second pass's overshoot, never more.
    assertTrue(worst <= 1, "max deviation " + worst + " levels");
  }

  @ParameterizedTest
  @CsvSource({"37,23,13,9", "10,10,31,17"})
  void keepsAConstantImageConstant(int inW, int inH, int outW, int outH) {
    byte[] in = new byte[inW * inH * 3];
    for (int i = 0; i < in.length; i++) {
      in[i] = (byte) (i % 3 == 0 ? 200 : i % 3 == 1 ? 7 : 255);
    }
    byte[] out = BicubicResampler.resize(in, inW, inH, outW, outH);
    for (int i = 0; i < out.length; i++) {
      assertEquals(i % 3 == 0 ? 200 : i % 3 == 1 ? 7 : 255, out[i] & 0xff, "byte " + i);
    }
  }

  @ParameterizedTest
  @CsvSource({"5,4"})
  void sameSizeIsACopy(int w, int h) {
    byte[] in = new byte[w * h * 3];
    new Random(1).nextBytes(in);
    assertArrayEquals(in, BicubicResampler.resize(in, w, h, w, h));
  }

  /** Dense [out][in] weights straight from the definition, normalised per output sample. */
  private static double[][] referenceWeights(int in, int out) {
    double scale = (double) in / out;
    double stretch = Math.max(scale, 1.0);
    double[][] w = new double[out][in];
    for (int i = 0; i < out; i++) {
      double center = (i + 0.5) * scale;
      double total = 0;
      for (int s = 0; s < in; s++) {
        // Source pixel s covers [s, s + 1); its centre is s + 0.5.
        double d = (s + 0.5 - center) / stretch;
        if (Math.abs(s + 0.5 - center) < 2 * stretch + 0.5) {
          w[i][s] = keys(d);
          total += w[i][s];
        }
      }
      for (int s = 0; s < in; s++) {
        w[i][s] /= total;
      }
    }
    return w;
  }

  private static double keys(double x) {
    double a = -0.5;
    x = Math.abs(x);
    if (x < 1) {
      return (a + 2) * x * x * x - (a + 3) * x * x + 1;
    }
    if (x < 2) {
      return a * x * x * x - 5 * a * x * x + 8 * a * x - 4 * a;
    }
    return 0;
  }
}
