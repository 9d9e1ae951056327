package io.rge.core.safetensors;

/** Element types of the safetensors format that RGE reads, with their size in bytes. */
public enum DType {
  F64(8),
  F32(4),
  F16(2),
  BF16(2),
  I64(8),
  I32(4),
  I16(2),
  I8(1),
  U8(1),
  BOOL(1);

  private final int byteSize;

  DType(int byteSize) {
    this.byteSize = byteSize;
  }

  /** Bytes per element. */
  public int byteSize() {
    return byteSize;
  }

  /** Whether values of this type convert to floating point ({@code F64, F32, F16, BF16}). */
  public boolean isFloatingPoint() {
    return this == F64 || this == F32 || this == F16 || this == BF16;
  }

  /** The type named {@code name} in a safetensors header, or null when RGE does not know it. */
  static DType fromHeaderName(String name) {
    for (DType t : values()) {
      if (t.name().equals(name)) {
        return t;
      }
    }
    return null;
  }
}
