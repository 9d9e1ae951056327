package io.rge.benchmarks;

import io.rge.core.qwen25vl.WeightSource;
import java.util.Arrays;

/**
 * Cheap deterministic weights for timing (a 3B model of Gaussian draws takes minutes to make on the
 * host): values uniform in ±0.02 from a per-tensor xorshift, norms 1, biases 0.
 */
final class PatternWeights implements WeightSource {
  @Override
  public float[] floats(String name, long[] shape) {
    int n = Math.toIntExact(Arrays.stream(shape).reduce(1, Math::multiplyExact));
    float[] v = new float[n];
    if (name.endsWith(".bias")) {
      return v;
    }
    if (shape.length == 1) {
      Arrays.fill(v, 1f);
      return v;
    }
    long x = name.hashCode() | 1L;
    for (int i = 0; i < n; i++) {
      x ^= x << 13;
      x ^= x >>> 7;
      x ^= x << 17;
      v[i] = ((x >>> 40) / (float) (1L << 24) - 0.5f) * 0.04f;
    }
    return v;
  }
}
