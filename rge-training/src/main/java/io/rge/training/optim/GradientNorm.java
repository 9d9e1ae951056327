package io.rge.training.optim;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import io.rge.core.qwen25vl.ModelWeight;
import java.util.List;

/**
 * Global-norm gradient clipping as {@code torch.nn.utils.clip_grad_norm_} does it: one L2 norm over
 * all gradients together, and a common factor {@code maxNorm / (norm + 1e-6)} when it exceeds the
 * limit. The factor is handed to the optimizer rather than applied to the gradients, which saves a
 * pass over them.
 */
public final class GradientNorm {
  private GradientNorm() {}

  /**
   * The L2 norm of all gradients of {@code weights} taken together (one host synchronisation); NaN
   * or infinite when any gradient is.
   */
  public static double global(List<ModelWeight> weights, NDManager parent) {
    if (weights.isEmpty()) {
      return 0;
    }
    try (NDManager scope = parent.newSubManager()) {
      List<NDArray> gradients = new java.util.ArrayList<>(weights.size());
      for (ModelWeight w : weights) {
        NDArray g = w.value().getGradient();
        g.attach(scope);
        gradients.add(g);
      }
      return of(gradients, scope);
    }
  }

  /**
   * The L2 norm of {@code gradients} taken together, computed in fp32 (a half-precision gradient is
   * upcast one at a time: its squares would overflow fp16); NaN or infinite when any is.
   */
  public static double of(List<NDArray> gradients, NDManager parent) {
    if (gradients.isEmpty()) {
      return 0;
    }
    try (NDManager scope = parent.newSubManager()) {
      NDList norms = new NDList(gradients.size());
      for (NDArray g : gradients) {
        NDArray g32 = g;
        if (g.getDataType() != DataType.FLOAT32) {
          g32 = g.toType(DataType.FLOAT32, false);
          g32.attach(scope);
        }
        NDArray norm = g32.norm();
        norm.attach(scope);
        norms.add(norm);
      }
      return NDArrays.stack(norms).norm().getFloat();
    }
  }

  /**
   * The factor that brings {@code norm} down to {@code maxNorm}: 1 when it is already within (or
   * clipping is off, {@code maxNorm <= 0}).
   */
  public static double clipScale(double norm, double maxNorm) {
    if (maxNorm <= 0) {
      return 1;
    }
    double scale = maxNorm / (norm + 1e-6);
    return Math.min(1.0, scale);
  }
}
