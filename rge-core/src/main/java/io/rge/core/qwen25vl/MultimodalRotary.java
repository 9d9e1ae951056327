package io.rge.core.qwen25vl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/**
 * cos/sin tables of M-RoPE for the decoder. The head dimension's frequency pairs are split into
 * {@code mrope_section} = [temporal, height, width] parts; each part rotates by its own component
 * of the 3-D position. As in transformers, the section list is applied to both halves of {@code
 * cat(freqs, freqs)}.
 */
final class MultimodalRotary {
  private final NDArray rotateHalf;
  private final float[] inverseFrequencies;
  private final int headDim;

  /** For each column of the head dimension, which position component (0, 1, 2) rotates it. */
  private final int[] component;

  /** {@code manager} owns the constant {@code rotate_half} matrix as long as the model. */
  MultimodalRotary(TextConfig config, NDManager manager) {
    this.headDim = config.headDim();
    this.rotateHalf = Rotary.rotateHalfMatrix(manager, headDim);
    this.inverseFrequencies = Rotary.inverseFrequencies(config.ropeTheta(), headDim);
    this.component = new int[headDim];
    int column = 0;
    for (int chunk = 0; chunk < 6; chunk++) {
      int width = config.mropeSection().get(chunk % 3);
      for (int i = 0; i < width; i++) {
        component[column++] = chunk % 3;
      }
    }
  }

  /**
   * @param positions {@code [3][B][L]}
   * @return the rotation, cos and sin {@code [B, 1, L, headDim]} in {@code scope}
   */
  Rotary tables(NDManager scope, int[][][] positions) {
    int b = positions[0].length;
    int l = b == 0 ? 0 : positions[0][0].length;
    int half = headDim / 2;
    float[] cos = new float[b * l * headDim];
    float[] sin = new float[b * l * headDim];
    for (int row = 0; row < b; row++) {
      for (int t = 0; t < l; t++) {
        int base = (row * l + t) * headDim;
        for (int c = 0; c < headDim; c++) {
          float angle = (float) positions[component[c]][row][t] * inverseFrequencies[c % half];
          cos[base + c] = (float) Math.cos(angle);
          sin[base + c] = (float) Math.sin(angle);
        }
      }
    }
    Shape shape = new Shape(b, 1, l, headDim);
    return new Rotary(scope.create(cos, shape), scope.create(sin, shape), rotateHalf);
  }

  /** Tables for one decoding step where every component of row r is {@code positions[r]}. */
  Rotary step(NDManager scope, long[] positions) {
    int[][][] p = new int[3][positions.length][1];
    for (int r = 0; r < positions.length; r++) {
      for (int d = 0; d < 3; d++) {
        p[d][r][0] = Math.toIntExact(positions[r]);
      }
    }
    return tables(scope, p);
  }
}
