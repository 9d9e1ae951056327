package io.rge.data.synth;

import java.util.Locale;

/** The eight colours of RGE-Synth, with well-separated RGB values. */
public enum SynthColour {
  RED(215, 40, 40),
  GREEN(40, 160, 60),
  BLUE(40, 80, 215),
  YELLOW(230, 200, 30),
  PURPLE(135, 55, 175),
  ORANGE(240, 135, 25),
  CYAN(30, 190, 200),
  PINK(240, 125, 185);

  private final int red;
  private final int green;
  private final int blue;

  SynthColour(int red, int green, int blue) {
    this.red = red;
    this.green = green;
    this.blue = blue;
  }

  /** The word used in text, e.g. "red". */
  public String word() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** {r, g, b}, each 0..255. */
  public int[] rgb() {
    return new int[] {red, green, blue};
  }

  public static SynthColour fromWord(String word) {
    return valueOf(word.toUpperCase(Locale.ROOT));
  }
}
