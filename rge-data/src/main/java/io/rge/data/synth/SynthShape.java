package io.rge.data.synth;

import java.util.Locale;

/** The four shapes of RGE-Synth and their pixel-membership tests. */
public enum SynthShape {
  CIRCLE,
  SQUARE,
  TRIANGLE,
  CROSS;

  public String word() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static SynthShape fromWord(String word) {
    return valueOf(word.toUpperCase(Locale.ROOT));
  }

  /**
   * Whether the point ({@code dx}, {@code dy}) from the shape's centre lies inside a shape of
   * half-size {@code r}. Areas are roughly comparable so that size does not give the shape away.
   */
  boolean covers(double dx, double dy, double r) {
    double ax = Math.abs(dx);
    double ay = Math.abs(dy);
    return switch (this) {
      case CIRCLE -> dx * dx + dy * dy <= r * r;
      case SQUARE -> ax <= 0.82 * r && ay <= 0.82 * r;
      case TRIANGLE -> dy >= -r && dy <= 0.8 * r && ax <= 0.58 * (dy + r);
      case CROSS -> (ax <= 0.34 * r && ay <= r) || (ay <= 0.34 * r && ax <= r);
    };
  }
}
