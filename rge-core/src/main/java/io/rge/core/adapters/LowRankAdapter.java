package io.rge.core.adapters;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.Dropout;
import io.rge.core.qwen25vl.ProjectionAdapter;
import io.rge.core.qwen25vl.Scalars;
import io.rge.core.qwen25vl.Upcast;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * LoRA or DoRA on one linear layer of the model, which may hold several checkpoint modules stacked
 * by rows (q/k/v, gate/up): each module's rows get their own adapter, or none.
 *
 * <p>LoRA adds {@code s · B A x'} with {@code s = alpha / r} and {@code x' = dropout(x)}. DoRA
 * follows PEFT ({@code tuners/lora/dora.py}, {@code variants.py}): with {@code n = ‖W + s·B A‖} per
 * output row, computed without gradient (DoRA paper §4.3), and {@code f = m / n}, it adds {@code (f
 * − 1) · x' Wᵀ + f · s · B A x'}; without dropout {@code x' Wᵀ} is the layer's output minus its
 * bias, as PEFT reuses it.
 *
 * <p>Shapes: {@code in} input width, {@code rows} a module's output rows, {@code r} rank.
 */
final class LowRankAdapter implements ProjectionAdapter {
  /**
   * One module's rows of the layer.
   *
   * @param a {@code [r, in]}, or null for rows without an adapter
   * @param b {@code [rows, r]}
   * @param magnitude DoRA's {@code m} {@code [rows]}, or null for LoRA
   */
  record Part(long rowOffset, long rows, NDArray a, NDArray b, NDArray magnitude) {}

  private final List<Part> parts;
  private final float scale;
  private final float dropout;
  private final BooleanSupplier training;

  LowRankAdapter(List<Part> parts, double scale, double dropout, BooleanSupplier training) {
    this.parts = List.copyOf(parts);
    this.scale = (float) scale;
    this.dropout = (float) dropout;
    this.training = training;
  }

  @Override
  public NDArray apply(NDArray x, NDArray base, NDArray weight, NDArray bias) {
    NDManager scope = x.getManager();
    boolean dropping = dropout > 0 && training.getAsBoolean();
    // The adapters are fp32 beside a possibly half-precision base: they compute in fp32 (as PEFT
    // casts the input to lora_A's type) and their sum returns to the base's type.
    NDArray x32 = Upcast.toFp32(x);
    NDArray input = dropping ? Dropout.dropout(x32, dropout, true).singletonOrThrow() : x32;
    NDArray s = Scalars.constant(scope, scale);
    NDList deltas = new NDList(parts.size());
    for (Part p : parts) {
      NDIndex rows = new NDIndex("..., {}:{}", p.rowOffset(), p.rowOffset() + p.rows());
      if (p.a() == null) {
        deltas.add(base.get(rows).zerosLike().toType(DataType.FLOAT32, false)); // [..., rows]
        continue;
      }
      // [..., in] → [..., r] → [..., rows]; Linear keeps the results in the input's manager.
      NDArray down = Linear.linear(input, p.a(), null).singletonOrThrow();
      NDArray lora = Linear.linear(down, p.b(), null).singletonOrThrow().mul(s);
      deltas.add(p.magnitude() == null ? lora : dora(p, input, base, weight, bias, lora, dropping));
    }
    NDArray delta = deltas.size() == 1 ? deltas.get(0) : NDArrays.concat(deltas, -1);
    return base.add(Upcast.to(delta, base.getDataType()));
  }

  /** DoRA's part of the output {@code [..., rows]}, given LoRA's {@code s · B A x'}. */
  private NDArray dora(
      Part p,
      NDArray input,
      NDArray base,
      NDArray weight,
      NDArray bias,
      NDArray lora,
      boolean dropping) {
    NDManager scope = input.getManager();
    NDIndex rows = new NDIndex("{}:{}", p.rowOffset(), p.rowOffset() + p.rows());
    try (NDManager temps = scope.newSubManager()) {
      NDArray w = owned(weight.get(rows), temps); // [rows, in]
      NDArray norms = rowNorms(w, p.b(), p.a(), scale, temps); // [rows], no gradient
      NDArray factor = owned(p.magnitude().div(norms), temps); // m / ‖W + s·B A‖, [rows]
      NDArray plain; // x' Wᵀ without bias, [..., rows]
      if (dropping) {
        plain = Linear.linear(input, owned(Upcast.toFp32(w), temps), null).singletonOrThrow();
      } else {
        plain = base.get(new NDIndex("..., {}:{}", p.rowOffset(), p.rowOffset() + p.rows()));
        if (bias != null) {
          plain = plain.sub(owned(bias.get(rows), temps));
        }
      }
      NDArray out =
          factor.sub(Scalars.constant(temps, 1f)).mul(plain).add(factor.mul(lora)); // [..., rows]
      out.attach(scope);
      return out;
    }
  }

  /** {@code ‖W + s·B A‖} per output row {@code [rows]}, without gradient, in {@code temps}. */
  static NDArray rowNorms(NDArray w, NDArray b, NDArray a, float scale, NDManager temps) {
    NDArray update = owned(b.stopGradient(), temps).matMul(owned(a.stopGradient(), temps));
    NDArray combined = w.add(update.mul(Scalars.constant(temps, scale))); // [rows, in]
    return combined.norm(new int[] {1}).stopGradient();
  }

  private static NDArray owned(NDArray x, NDManager manager) {
    x.attach(manager);
    return x;
  }

  List<Part> parts() {
    return parts;
  }

  float scale() {
    return scale;
  }
}
