package io.rge.data.synth;

/**
 * How RGE-Synth's oracle rationales of the task rows are written.
 *
 * <p>{@link #ANSWER_FIRST} is the variant where leaking the oracle rationale into the query should
 * hurt: each task rationale starts with its answer ("blue circle . i see a red circle . shift of
 * red is blue ."). Training on oracle text teaches the embedding to trust those first words, which
 * are always right there; a model writing its own rationale has to state the answer before it has
 * reasoned, so at test time those words are a one-pass guess, often wrong on new compositions,
 * while the reasoning after them is still there to be used. The fact and description rows are
 * unchanged.
 */
public enum RationaleStyle {
  /** The reasoning, then the answer it arrives at (as everywhere else in RGE-Synth). */
  STANDARD,
  /** The answer (colour, and shape when the rationale names one), then the same reasoning. */
  ANSWER_FIRST;

  /** The oracle rationale of a task row in this style, from its standard text. */
  public String apply(String standard) {
    if (this == STANDARD) {
      return standard;
    }
    RationaleReading reading = RationaleReading.of(standard);
    if (reading.answer() == null) {
      throw new IllegalArgumentException("rationale has no '{t} of {c} is {c2}' fact: " + standard);
    }
    String answer =
        reading.shape() == null ? reading.answer() : reading.answer() + " " + reading.shape();
    return answer + " . " + standard;
  }
}
