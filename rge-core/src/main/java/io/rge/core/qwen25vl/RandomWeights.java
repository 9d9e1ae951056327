package io.rge.core.qwen25vl;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Seeded initialisation for a model trained from scratch, as transformers initialises Qwen2.5-VL:
 * matrices (and the embedding) ~ N(0, std), biases 0, norm weights 1. Each tensor's values depend
 * only on the seed and the tensor's name, so they do not change when other tensors are added or the
 * build order changes.
 */
public final class RandomWeights implements WeightSource {
  private final long seed;
  private final double std;

  public RandomWeights(long seed, double std) {
    if (!(std > 0)) {
      throw new IllegalArgumentException("init std must be > 0, got " + std);
    }
    this.seed = seed;
    this.std = std;
  }

  @Override
  public float[] floats(String name, long[] shape) {
    int n = Math.toIntExact(Arrays.stream(shape).reduce(1, Math::multiplyExact));
    float[] values = new float[n];
    if (name.endsWith(".bias")) {
      return values;
    }
    if (isNorm(name)) {
      Arrays.fill(values, 1f);
      return values;
    }
    SplittableRandom random = new SplittableRandom(seed ^ (name.hashCode() * 0x9E3779B97F4A7C15L));
    for (int i = 0; i < n; i += 2) {
      // Box-Muller: two normals per pair of uniforms.
      double u1 = 1.0 - random.nextDouble();
      double u2 = random.nextDouble();
      double r = Math.sqrt(-2 * Math.log(u1)) * std;
      values[i] = (float) (r * Math.cos(2 * Math.PI * u2));
      if (i + 1 < n) {
        values[i + 1] = (float) (r * Math.sin(2 * Math.PI * u2));
      }
    }
    return values;
  }

  private static boolean isNorm(String name) {
    return name.endsWith("norm.weight")
        || name.endsWith("norm1.weight")
        || name.endsWith("norm2.weight")
        || name.endsWith("ln_q.weight")
        || name.endsWith("layernorm.weight");
  }
}
