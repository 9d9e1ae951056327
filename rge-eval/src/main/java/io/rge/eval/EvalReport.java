package io.rge.eval;

import io.rge.eval.report.RunRecord;
import io.rge.eval.score.Scores;
import java.nio.file.Path;
import java.util.Objects;

/**
 * The result of an evaluation and where its files are.
 *
 * @param run everything the files say (scores, settings, fingerprint, provenance)
 * @param outputDir the output folder
 * @param scoresJson {@code scores.json}
 * @param reportMarkdown {@code report.md}
 * @param predictions {@code predictions.jsonl}
 * @param chart {@code scores.png}, or null when no dataset was scored
 */
public record EvalReport(
    RunRecord run,
    Path outputDir,
    Path scoresJson,
    Path reportMarkdown,
    Path predictions,
    Path chart) {
  public EvalReport {
    Objects.requireNonNull(run, "run");
  }

  public Scores scores() {
    return run.scores();
  }
}
