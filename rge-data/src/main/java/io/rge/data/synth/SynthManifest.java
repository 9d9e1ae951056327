package io.rge.data.synth;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.rge.data.RgeDataException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * {@code synth.json}: how an RGE-Synth folder was made and what it holds.
 *
 * @param format always "rge-synth"
 * @param version manifest version (1)
 * @param seed the root seed
 * @param size the row counts
 * @param colours colour word -> RGB
 * @param shapes shape words
 * @param transforms transform -> (colour -> colour)
 * @param heldOut the (transform, colour) pairs of {@code eval/}, never in a training task
 * @param datasets every dataset and subset with row counts
 * @param vocabulary every word of every text, sorted (the image placeholder excluded)
 */
public record SynthManifest(
    String format,
    int version,
    long seed,
    SynthSize size,
    Map<String, List<Integer>> colours,
    List<String> shapes,
    Map<String, Map<String, String>> transforms,
    List<TransformPair> heldOut,
    List<Entry> datasets,
    List<String> vocabulary) {
  public static final String FORMAT = "rge-synth";
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  /**
   * One dataset or training subset.
   *
   * @param name folder name
   * @param metaTask MMEB meta-task label for the 8 task datasets, null for the auxiliary SynthFacts
   *     and SynthDescribe
   * @param trainRows rows under {@code train/}
   * @param evalRows rows under {@code eval/} (held-out compositions), 0 for auxiliary subsets
   * @param evalSeenRows rows under {@code eval-seen/}, 0 for auxiliary subsets
   */
  public record Entry(
      String name, String metaTask, int trainRows, int evalRows, int evalSeenRows) {}

  /** Reads {@code <root>/synth.json}. */
  public static SynthManifest read(Path root) {
    Path file = new SynthLayout(root).manifest();
    try {
      SynthManifest manifest = JSON.readValue(file.toFile(), SynthManifest.class);
      if (!FORMAT.equals(manifest.format())) {
        throw new RgeDataException(
            file + ": format is '" + manifest.format() + "', expected " + FORMAT);
      }
      return manifest;
    } catch (IOException e) {
      throw new RgeDataException(
          "cannot read RGE-Synth manifest " + file + ": " + e.getMessage(), e);
    }
  }

  byte[] toJson() {
    try {
      return JSON.writeValueAsBytes(this);
    } catch (IOException e) {
      throw new IllegalStateException("cannot serialise manifest", e);
    }
  }
}
