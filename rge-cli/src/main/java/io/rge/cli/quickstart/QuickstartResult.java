package io.rge.cli.quickstart;

import java.nio.file.Path;
import java.util.List;

/**
 * What the quickstart found.
 *
 * @param table the comparison as a Markdown table
 * @param rgeGain rge minus the baseline to beat, overall held-out P@1 (mean over seeds)
 * @param rgeSeenDifference rge minus that baseline, overall P@1 on seen compositions
 * @param baseline that baseline's name in the report: of the plan's baselines, the best on seen
 *     compositions
 * @param examples one held-out query per mode, as text
 * @param report the written report.md
 */
public record QuickstartResult(
    String table,
    double rgeGain,
    double rgeSeenDifference,
    String baseline,
    List<String> examples,
    Path report) {
  public QuickstartResult {
    examples = List.copyOf(examples);
  }
}
