package io.rge.data.synth;

import java.util.List;

/**
 * One generated row before it is written: the query, candidates (0 = positive), the oracle
 * rationale, an optional hard negative, and the composition it asks about.
 *
 * @param qryImage the query image, or null for a text-only query
 * @param pair the (transform, colour) the query composes, or null for description rows
 */
record SynthExample(
    String qry,
    Scene qryImage,
    List<Candidate> candidates,
    String rationale,
    Candidate hardNegative,
    TransformPair pair) {

  SynthExample {
    candidates = List.copyOf(candidates);
  }

  /** A candidate text, with a crop image for image candidates (null for text candidates). */
  record Candidate(String text, Scene.Crop image) {
    static Candidate text(String text) {
      return new Candidate(text, null);
    }

    static Candidate image(Scene.Crop crop) {
      return new Candidate(SynthText.IMAGE_CANDIDATE, crop);
    }
  }
}
