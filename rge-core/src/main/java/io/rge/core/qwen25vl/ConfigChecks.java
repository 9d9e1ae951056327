package io.rge.core.qwen25vl;

/** Validation shared by the config records; messages name the checkpoint's field. */
final class ConfigChecks {
  private ConfigChecks() {}

  static void positive(String field, int value) {
    if (value <= 0) {
      throw new IllegalArgumentException(field + " must be > 0, got " + value);
    }
  }

  static void nonNegative(String field, int value) {
    if (value < 0) {
      throw new IllegalArgumentException(field + " must be >= 0, got " + value);
    }
  }

  static void silu(String field, String act) {
    if (!"silu".equals(act)) {
      throw new IllegalArgumentException(
          field + " is '" + act + "'; only 'silu' is implemented (as in every Qwen2.5-VL)");
    }
  }
}
