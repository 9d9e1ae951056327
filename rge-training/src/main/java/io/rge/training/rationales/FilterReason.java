package io.rge.training.rationales;

import java.util.Locale;

/** Why a teacher's answer was not kept as a rationale; each is counted in the subset's stats. */
public enum FilterReason {
  /** Nothing but whitespace (before the end marker). */
  EMPTY,
  /** No end marker, or cut off by the token limit. */
  UNTERMINATED,
  /** The teacher declined (a configured refusal phrase). */
  REFUSAL,
  /** Longer than {@code max_rationale_tokens}. */
  OVER_LONG,
  /** A word n-gram repeats more often than {@code max_ngram_repeats}: degenerate output. */
  REPETITIVE,
  /** Copies {@code max_target_quote_words} or more consecutive words of the target. */
  QUOTES_TARGET,
  /** Holds a chat special token as text, which the trainer's prompt builder refuses. */
  SPECIAL_TOKEN;

  /** The name used in files: lowercase snake_case. */
  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }
}
