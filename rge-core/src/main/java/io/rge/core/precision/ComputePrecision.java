package io.rge.core.precision;

import ai.djl.ndarray.types.DataType;
import java.util.Locale;

/**
 * The floating-point type a model computes in: {@code fp32}, or a half type ({@code bf16}, {@code
 * fp16}) in which weights are stored and matrix products run, while the numerically sensitive parts
 * (RMSNorm statistics, softmax, rotary embedding, the final norm, logits and the {@code <emb>}
 * vector) stay fp32. See {@link PrecisionChoice} for choosing one per device.
 */
public enum ComputePrecision {
  FP32("fp32", DataType.FLOAT32),
  BF16("bf16", DataType.BFLOAT16),
  FP16("fp16", DataType.FLOAT16);

  private final String id;
  private final DataType dataType;

  ComputePrecision(String id, DataType dataType) {
    this.id = id;
    this.dataType = dataType;
  }

  /** The name in configs and on the command line. */
  public String id() {
    return id;
  }

  public DataType dataType() {
    return dataType;
  }

  public boolean isHalf() {
    return this != FP32;
  }

  /**
   * Parses {@code fp32}, {@code bf16} or {@code fp16} (case and surrounding spaces ignored).
   *
   * @throws IllegalArgumentException naming the value and the accepted ones
   */
  public static ComputePrecision parse(String value) {
    String v = value == null ? "" : value.trim().toLowerCase(Locale.ROOT);
    for (ComputePrecision p : values()) {
      if (p.id.equals(v)) {
        return p;
      }
    }
    throw new IllegalArgumentException(
        "precision '" + value + "' is not one of fp32, bf16, fp16 (or auto)");
  }

  @Override
  public String toString() {
    return id;
  }
}
