package io.rge.cli.quickstart;

import java.nio.file.Path;
import java.util.List;

/**
 * What the quickstart found.
 *
 * @param table the comparison as a Markdown table
 * @param rgeGain rge minus baseline, overall held-out P@1 (mean over seeds)
 * @param examples one held-out query per mode, as text
 * @param report the written report.md
 */
public record QuickstartResult(String table, double rgeGain, List<String> examples, Path report) {
  public QuickstartResult {
    examples = List.copyOf(examples);
  }
}
