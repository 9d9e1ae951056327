package io.rge.core.image;

/**
 * Antialiased bicubic resampling of 8-bit RGB, bit-exact with the resize transformers 5's {@code
 * Qwen2VLImageProcessor} performs (torchvision {@code resize(..., BICUBIC, antialias=True)} on a
 * uint8 tensor, which runs PyTorch's uint8 kernel, itself a port of Pillow(-SIMD)'s {@code
 * ImagingResample}).
 *
 * <p>The algorithm is separable: a horizontal pass, then a vertical pass, each skipped when that
 * side keeps its size, with the intermediate image stored as uint8 (rounded and clipped). Per
 * output index the filter is the Keys cubic with a = -0.5, its support widened by the scale when
 * downscaling (this is the antialiasing); weights are normalised in double precision and then
 * quantised to fixed point. The fixed-point precision is chosen per axis as the largest number of
 * bits (at most 22) for which the largest weight still fits an int16, exactly as PyTorch does; each
 * output is {@code clamp((2^(p-1) + Σ pixel·weight) >> p, 0, 255)}.
 *
 * <p>Pillow's own 8-bit path ({@code Image.resize}, used by transformers 4's slow processor and by
 * transformers 5's {@code Qwen2VLImageProcessorPil}) is the same except for a fixed 22-bit
 * precision; on the fixture images that changes about 0.5% of the values by one level (max abs
 * difference 0.015–0.030 after normalisation). The transformers 5 default is the one reproduced.
 */
final class BicubicResampler {
  private static final int MAX_PRECISION = 22;
  private static final double SUPPORT = 2.0;
  private static final double A = -0.5;

  private BicubicResampler() {}

  /**
   * Resizes interleaved RGB bytes.
   *
   * @param rgb {@code [inH, inW, 3]} uint8, row-major
   * @return {@code [outH, outW, 3]} uint8, row-major
   */
  static byte[] resize(byte[] rgb, int inW, int inH, int outW, int outH) {
    if (rgb.length != inW * inH * 3) {
      throw new IllegalArgumentException(
          "expected "
              + inW * inH * 3
              + " RGB bytes for "
              + inW
              + "x"
              + inH
              + ", got "
              + rgb.length);
    }
    byte[] current = rgb;
    if (outW != inW) {
      current = horizontal(current, inW, inH, Axis.of(inW, outW), outW);
    }
    if (outH != inH) {
      current = vertical(current, outW, inH, Axis.of(inH, outH), outH);
    }
    return current == rgb ? rgb.clone() : current;
  }

  private static byte[] horizontal(byte[] src, int inW, int h, Axis axis, int outW) {
    byte[] dst = new byte[outW * h * 3];
    int half = 1 << (axis.precision - 1);
    for (int y = 0; y < h; y++) {
      int rowIn = y * inW * 3;
      int rowOut = y * outW * 3;
      for (int x = 0; x < outW; x++) {
        int first = axis.first[x];
        int count = axis.count[x];
        int wOffset = x * axis.taps;
        int r = half;
        int g = half;
        int b = half;
        int p = rowIn + first * 3;
        for (int k = 0; k < count; k++, p += 3) {
          int w = axis.weights[wOffset + k];
          r += (src[p] & 0xff) * w;
          g += (src[p + 1] & 0xff) * w;
          b += (src[p + 2] & 0xff) * w;
        }
        int o = rowOut + x * 3;
        dst[o] = clip(r, axis.precision);
        dst[o + 1] = clip(g, axis.precision);
        dst[o + 2] = clip(b, axis.precision);
      }
    }
    return dst;
  }

  private static byte[] vertical(byte[] src, int w, int inH, Axis axis, int outH) {
    int stride = w * 3;
    byte[] dst = new byte[outH * stride];
    int half = 1 << (axis.precision - 1);
    int[] acc = new int[stride];
    for (int y = 0; y < outH; y++) {
      int first = axis.first[y];
      int count = axis.count[y];
      int wOffset = y * axis.taps;
      java.util.Arrays.fill(acc, half);
      for (int k = 0; k < count; k++) {
        int weight = axis.weights[wOffset + k];
        int row = (first + k) * stride;
        for (int i = 0; i < stride; i++) {
          acc[i] += (src[row + i] & 0xff) * weight;
        }
      }
      int rowOut = y * stride;
      for (int i = 0; i < stride; i++) {
        dst[rowOut + i] = clip(acc[i], axis.precision);
      }
    }
    return dst;
  }

  private static byte clip(int acc, int precision) {
    int v = acc >> precision;
    return (byte) (v < 0 ? 0 : Math.min(v, 255));
  }

  /** Keys cubic, a = -0.5, in PyTorch's operation order ({@code HelperInterpCubic::aa_filter}). */
  static double filter(double x) {
    double ax = Math.abs(x);
    if (ax < 1.0) {
      return ((A + 2) * ax - (A + 3)) * ax * ax + 1;
    }
    if (ax < 2.0) {
      return ((A * ax - 5 * A) * ax + 8 * A) * ax - 4 * A;
    }
    return 0.0;
  }

  /** Fixed-point filter taps along one axis: per output index, a source range and its weights. */
  static final class Axis {
    final int taps;
    final int[] first;
    final int[] count;
    final int[] weights;
    final int precision;

    private Axis(int taps, int[] first, int[] count, int[] weights, int precision) {
      this.taps = taps;
      this.first = first;
      this.count = count;
      this.weights = weights;
      this.precision = precision;
    }

    static Axis of(int inSize, int outSize) {
      double scale = (double) inSize / outSize;
      double support = scale >= 1.0 ? SUPPORT * scale : SUPPORT;
      double invScale = scale >= 1.0 ? 1.0 / scale : 1.0;
      int taps = (int) Math.ceil(support) * 2 + 1;
      int[] first = new int[outSize];
      int[] count = new int[outSize];
      double[] real = new double[outSize * taps];
      double maxWeight = 0.0;
      for (int i = 0; i < outSize; i++) {
        double center = scale * (i + 0.5);
        // (long) truncates toward zero, like the C casts in PIL and PyTorch.
        long xmin = Math.max((long) (center - support + 0.5), 0L);
        long xsize = Math.min((long) (center + support + 0.5), inSize) - xmin;
        xsize = Math.max(0L, Math.min(xsize, taps));
        double total = 0.0;
        int base = i * taps;
        for (int j = 0; j < xsize; j++) {
          double w = filter((j + xmin - center + 0.5) * invScale);
          real[base + j] = w;
          total += w;
        }
        if (total != 0.0) {
          for (int j = 0; j < xsize; j++) {
            real[base + j] /= total;
            maxWeight = Math.max(maxWeight, real[base + j]);
          }
        }
        first[i] = (int) xmin;
        count[i] = (int) xsize;
      }
      int precision = 0;
      while (precision < MAX_PRECISION) {
        int next = (int) (0.5 + maxWeight * (1 << (precision + 1)));
        if (next >= (1 << 15)) {
          break;
        }
        precision++;
      }
      int[] weights = new int[real.length];
      double unit = 1 << precision;
      for (int k = 0; k < real.length; k++) {
        double v = real[k] * unit;
        weights[k] = v < 0 ? (int) (-0.5 + v) : (int) (0.5 + v);
      }
      return new Axis(taps, first, count, weights, precision);
    }
  }
}
