package io.rge.core.qwen25vl;

/**
 * Supplies the values of one checkpoint tensor by its canonical (flat published layout) name, e.g.
 * {@code model.layers.0.self_attn.q_proj.weight}. Implementations: a loaded checkpoint, or a seeded
 * random initialisation for models trained from scratch.
 */
@FunctionalInterface
public interface WeightSource {

  /**
   * @param name canonical checkpoint name
   * @param shape the shape the architecture expects, row-major
   * @return {@code product(shape)} float32 values, row-major
   */
  float[] floats(String name, long[] shape);
}
