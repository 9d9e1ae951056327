package io.rge.core.safetensors;

/** Floating-point precision that tensors are converted to when read. */
public enum Precision {
  /** IEEE binary32, little-endian: DJL {@code DataType.FLOAT32}. */
  FP32(4, DType.F32),
  /** IEEE binary16, little-endian: DJL {@code DataType.FLOAT16}. */
  FP16(2, DType.F16);

  private final int byteSize;
  private final DType dtype;

  Precision(int byteSize, DType dtype) {
    this.byteSize = byteSize;
    this.dtype = dtype;
  }

  /** Bytes per element. */
  public int byteSize() {
    return byteSize;
  }

  /** The safetensors dtype that stores values of this precision. */
  public DType dtype() {
    return dtype;
  }
}
