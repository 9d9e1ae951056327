package io.rge.eval.score;

import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * A mean of dataset Precision@1 values (a meta-task, IND, OOD or overall), with how many of the
 * datasets it should cover were present. Absent datasets are never averaged in as zeros: a mean
 * over fewer datasets than expected says so.
 *
 * @param label what it averages, e.g. "Classification" or "IND"
 * @param applicable false when the registry gives this aggregate no meaning (e.g. OOD for a
 *     registry without OOD datasets); then {@code value} is null
 * @param value mean Precision@1 x 100 over the present datasets, or null when none is present
 * @param present datasets averaged
 * @param expected datasets the registry lists for it
 * @param missing registry datasets not averaged (absent, not selected or without scored rows)
 */
public record Aggregate(
    String label,
    boolean applicable,
    Double value,
    int present,
    int expected,
    List<String> missing) {
  public Aggregate {
    Objects.requireNonNull(label, "label");
    missing = List.copyOf(missing);
    if (present < 0 || present > expected || missing.size() != expected - present) {
      throw new IllegalArgumentException(
          label
              + ": present "
              + present
              + ", expected "
              + expected
              + ", missing "
              + missing.size()
              + " do not add up");
    }
    if ((value == null) != (present == 0 || !applicable)) {
      throw new IllegalArgumentException(label + ": a value exactly when datasets are present");
    }
  }

  static Aggregate notApplicable(String label) {
    return new Aggregate(label, false, null, 0, 0, List.of());
  }

  /** Whether every expected dataset was averaged. */
  public boolean complete() {
    return applicable && present == expected;
  }

  /**
   * One table cell: {@code 64.4} when complete, {@code 61.2 (3/10)} over a subset, {@code —} with
   * nothing present and {@code n/a} when not applicable.
   */
  public String cell() {
    if (!applicable) {
      return "n/a";
    }
    if (value == null) {
      return "—";
    }
    String v = String.format(Locale.ROOT, "%.1f", value);
    return complete() ? v : v + " (" + present + "/" + expected + ")";
  }
}
