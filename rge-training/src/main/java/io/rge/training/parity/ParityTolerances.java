package io.rge.training.parity;

import ai.djl.ndarray.types.DataType;

/**
 * What a parity row must meet, by the precision the model computes in, against transformers' fp32
 * reference.
 *
 * <p>fp32: the fixture README's bars (hidden states abs 1e-4, losses rel 1e-5, gradient norms rel
 * 1e-3). fp16 stores 11 significant bits (unit roundoff 2⁻¹¹ ≈ 4.9e-4) and rounds every product's
 * output again; on the tiny fixture (CPU) its hidden states, logits and embeddings measured up to
 * 2.2e-3 relative (‖a−b‖/‖b‖), the losses up to 3e-4 absolute and the per-tensor gradient norms up
 * to 1.8e-2 relative (the k_proj biases, whose gradient is a small difference of large terms), so
 * the fp16 bars are rel 1e-2, abs 5e-3 and rel 5e-2: a few times the measurement, far below what a
 * broken pass gives. Losses are compared absolutely in half precision because the fixture's
 * contrastive loss is near 0 (5e-4), where a relative error means nothing. bf16 keeps 8 significant
 * bits (2⁻⁸, 8× fp16's roundoff): its bars are fp16's times 8, set from that ratio; bf16 has not
 * been measured yet (the CPU library cannot hold bf16; it waits for a GPU run).
 */
record ParityTolerances(Tolerance hidden, Tolerance loss, Tolerance gradient, double tokenMargin) {
  /** TODO measured. */
  static final double FP16_MARGIN = 0.5;

  static final double BF16_MARGIN = 0.5;

  static final ParityTolerances FP32 =
      new ParityTolerances(
          Tolerance.absolute(1e-4), Tolerance.relative(1e-5), Tolerance.relative(1e-3), 0);
  static final ParityTolerances FP16 =
      new ParityTolerances(
          Tolerance.relative(1e-2),
          Tolerance.absolute(5e-3),
          Tolerance.relative(5e-2),
          FP16_MARGIN);
  static final ParityTolerances BF16 =
      new ParityTolerances(
          Tolerance.relative(8e-2),
          Tolerance.absolute(4e-2),
          Tolerance.relative(4e-1),
          BF16_MARGIN);

  /** The bars for a model whose weights are stored as {@code storage}. */
  static ParityTolerances of(DataType storage) {
    return switch (storage) {
      case FLOAT16 -> FP16;
      case BFLOAT16 -> BF16;
      default -> FP32;
    };
  }
}
