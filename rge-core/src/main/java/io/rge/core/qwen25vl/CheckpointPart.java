package io.rge.core.qwen25vl;

import java.util.Arrays;

/**
 * Where one checkpoint tensor lives inside a (possibly fused) model weight: rows {@code [rowOffset,
 * rowOffset + rows)} of the weight, reshaped to {@code shape}. Unfused weights have one part
 * covering all rows.
 */
public record CheckpointPart(String name, long[] shape, int rowOffset, int rows) {

  public CheckpointPart {
    shape = shape.clone();
    if (rowOffset < 0 || rows <= 0) {
      throw new IllegalArgumentException(
          name + ": rows [" + rowOffset + ", " + (rowOffset + rows) + ") is empty or negative");
    }
  }

  @Override
  public long[] shape() {
    return shape.clone();
  }

  public long size() {
    return Arrays.stream(shape).reduce(1, Math::multiplyExact);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof CheckpointPart p
        && name.equals(p.name)
        && Arrays.equals(shape, p.shape)
        && rowOffset == p.rowOffset
        && rows == p.rows;
  }

  @Override
  public int hashCode() {
    return name.hashCode() * 31 + Arrays.hashCode(shape);
  }

  @Override
  public String toString() {
    return name + Arrays.toString(shape) + "@rows" + rowOffset + "+" + rows;
  }
}
