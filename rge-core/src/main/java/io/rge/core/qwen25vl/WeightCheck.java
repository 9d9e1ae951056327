package io.rge.core.qwen25vl;

import io.rge.core.text.Listing;
import java.nio.file.Path;
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
            + Listing.of(missing)
            + "; "
            + unexpected.size()
            + " unexpected "
            + Listing.of(unexpected);
    if (strictness == WeightLoader.Strictness.STRICT) {
      throw new CheckpointException(report);
    }
    LOG.warn("{} (lenient: missing weights stay absent, unexpected ones are skipped)", report);
  }

  /**
   * Checks that the checkpoint holds every layer and block the config asks for, before the
   * architecture's table (one entry per tensor of every layer) is built: a config asking for 10⁸
   * layers must fail at once, not after allocating 10⁹ expected names.
   *
   * @param configFile the config.json, named in the message
   * @param canonicalNames the checkpoint's tensor names, canonical
   */
  static void layerCounts(Path configFile, Qwen25VLConfig config, Set<String> canonicalNames) {
    enough(
        configFile,
        "num_hidden_layers",
        config.text().numHiddenLayers(),
        canonicalNames,
        CheckpointLayout.DECODER_LAYER_PREFIX,
        "decoder layers");
    enough(
        configFile,
        "vision_config.depth",
        config.vision().depth(),
        canonicalNames,
        CheckpointLayout.VISION_BLOCK_PREFIX,
        "vision blocks");
  }

  private static void enough(
      Path configFile, String field, int wanted, Set<String> names, String prefix, String what) {
    int held = layersIn(names, prefix);
    if (wanted > held) {
      throw new CheckpointException(
          configFile
              + ": field '"
              + field
              + "' is "
              + wanted
              + " but the checkpoint holds "
              + held
              + " "
              + what
              + " ("
              + prefix
              + "N); fix config.json or use the checkpoint it belongs to");
    }
  }

  /** 1 + the largest N of the names {@code prefix + N + "."}, 0 when there are none. */
  private static int layersIn(Set<String> names, String prefix) {
    int count = 0;
    for (String name : names) {
      if (!name.startsWith(prefix)) {
        continue;
      }
      int end = name.indexOf('.', prefix.length());
      String index = end < 0 ? "" : name.substring(prefix.length(), end);
      if (!index.isEmpty() && index.length() < 10 && index.chars().allMatch(Character::isDigit)) {
        count = Math.max(count, Integer.parseInt(index) + 1);
      }
    }
    return count;
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
              + Listing.of(wrong));
    }
  }
}
