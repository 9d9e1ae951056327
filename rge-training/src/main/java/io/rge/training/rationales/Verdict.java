package io.rge.training.rationales;

/**
 * A filtered answer: the rationale to keep, or why there is none.
 *
 * @param rationale the rationale (end marker removed, trimmed), or null when rejected
 * @param reason why the answer was rejected, or null when kept
 */
public record Verdict(String rationale, FilterReason reason) {
  public Verdict {
    if ((rationale == null) == (reason == null)) {
      throw new IllegalArgumentException("exactly one of rationale and reason must be given");
    }
  }

  static Verdict keep(String rationale) {
    return new Verdict(rationale, null);
  }

  static Verdict reject(FilterReason reason) {
    return new Verdict(null, reason);
  }

  public boolean kept() {
    return rationale != null;
  }
}
