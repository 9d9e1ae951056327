package io.rge.data.synth;

import java.util.Objects;

/**
 * A (transform, colour) composition, e.g. ("mirror", "red"): the query asks for "mirror of red".
 *
 * @param transform transform name
 * @param colour colour word
 */
public record TransformPair(String transform, String colour) {
  public TransformPair {
    Objects.requireNonNull(transform, "transform");
    Objects.requireNonNull(colour, "colour");
  }

  SynthColour synthColour() {
    return SynthColour.fromWord(colour);
  }
}
