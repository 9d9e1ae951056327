package io.rge.eval.report;

import io.rge.eval.score.Scores;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Everything the output files say about one evaluation.
 *
 * @param modelLabel the model's name in the report
 * @param modelFingerprint the model's fingerprint
 * @param dataName what was evaluated (e.g. "MMEB")
 * @param dataRoot the data folder
 * @param images the image source, or null
 * @param prompts the prompt set used
 * @param settings the settings, by snake_case name, in display order
 * @param scores the scores
 * @param datasets per evaluated dataset, how it was run
 * @param provenance versions and times
 * @param references reference rows for the report, or null
 */
public record RunRecord(
    String modelLabel,
    String modelFingerprint,
    String dataName,
    String dataRoot,
    String images,
    PromptInfo prompts,
    Map<String, Object> settings,
    Scores scores,
    Map<String, DatasetRunInfo> datasets,
    EvalProvenance provenance,
    ReferenceRows references) {
  /**
   * The prompt set, as reported.
   *
   * @param name its name ("mmeb" for MMEB's own instructions)
   * @param id its name and content hash
   * @param description where the prompts come from
   * @param source the file it was read from, or null
   */
  public record PromptInfo(String name, String id, String description, String source) {}

  public RunRecord {
    Objects.requireNonNull(scores, "scores");
    Objects.requireNonNull(provenance, "provenance");
    Objects.requireNonNull(prompts, "prompts");
    settings = Collections.unmodifiableMap(new LinkedHashMap<>(settings));
    datasets = Collections.unmodifiableMap(new LinkedHashMap<>(datasets));
  }
}
