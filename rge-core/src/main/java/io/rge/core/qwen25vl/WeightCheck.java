package io.rge.core.qwen25vl;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Compares a set of weights with the architecture's table, reporting every difference at once. */
final class WeightCheck {
  private static final Logger LOG = LoggerFactory.getLogger(WeightCheck.class);

  private WeightCheck() {}

  /**
   * Checks that {@code actual} names exactly the {@code expected} tensors. Strict: one error
   * listing all missing and all unexpected names, sorted. Lenient: the same list is logged.
   */
  static void names(
      String source, Set<String> expected, Set<String> actual, WeightLoader.Strictness strictness) {
    Set<String> missing = new TreeSet<>(expected);
    missing.removeAll(actual);
    Set<String> unexpected = new TreeSet<>(actual);
    unexpected.removeAll(expected);
    if (missing.isEmpty() && unexpected.isEmpty()) {
      return;
    }
    String report =
        source
            + ": tensors do not match the Qwen2.5-VL layout of the config: "
            + missing.size()
            + " missing "
            + missing
            + "; "
            + unexpected.size()
            + " unexpected "
            + unexpected;
    if (strictness == WeightLoader.Strictness.STRICT) {
      throw new CheckpointException(report);
    }
    LOG.warn("{} (lenient: missing weights stay absent, unexpected ones are skipped)", report);
  }

  /** Checks every shape present in both maps; one error lists every mismatch. */
  static void shapes(String source, Map<String, long[]> expected, Map<String, long[]> actual) {
    List<String> wrong = new ArrayList<>();
    for (Map.Entry<String, long[]> e : actual.entrySet()) {
      long[] want = expected.get(e.getKey());
      if (want != null && !Arrays.equals(want, e.getValue())) {
        wrong.add(
            e.getKey()
                + " expected "
                + Arrays.toString(want)
                + " but found "
                + Arrays.toString(e.getValue()));
      }
    }
    if (!wrong.isEmpty()) {
      wrong.sort(null);
      throw new CheckpointException(
          source
              + ": "
              + wrong.size()
              + " tensor(s) have the wrong shape for the config: "
              + String.join("; ", wrong));
    }
  }
}
