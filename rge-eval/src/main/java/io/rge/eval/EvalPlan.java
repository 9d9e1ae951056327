package io.rge.eval;

import java.util.List;
import java.util.Locale;

/**
 * What an evaluation would do, before it does it: per dataset the distinct queries and candidates
 * and how many of them the cache lacks, and the time those would take at the rates measured by a
 * short calibration on the current device.
 *
 * @param datasets one line per selected dataset present in the data
 * @param secondsPerQuery measured per query to embed (with its rationale when reasoning), in
 *     batches of the evaluation's size
 * @param secondsPerCandidate measured per candidate to embed
 * @param calibrationItems queries and candidates the calibration embedded (0: nothing to embed)
 */
public record EvalPlan(
    List<Dataset> datasets,
    double secondsPerQuery,
    double secondsPerCandidate,
    int calibrationItems) {

  public EvalPlan {
    datasets = List.copyOf(datasets);
  }

  /**
   * @param rows rows scored (after rows with missing images are skipped)
   * @param queries distinct queries
   * @param queriesToEmbed of which not in the cache
   * @param candidates distinct candidates
   * @param candidatesToEmbed of which not in the cache
   */
  public record Dataset(
      String name,
      long rows,
      int queries,
      int queriesToEmbed,
      int candidates,
      int candidatesToEmbed) {}

  /** Projected seconds for one dataset. */
  public double seconds(Dataset d) {
    return d.queriesToEmbed() * secondsPerQuery + d.candidatesToEmbed() * secondsPerCandidate;
  }

  public double totalSeconds() {
    return datasets.stream().mapToDouble(this::seconds).sum();
  }

  /** The plan as a Markdown table with a total line. */
  public String table() {
    StringBuilder out = new StringBuilder();
    out.append("| dataset | rows | queries | to embed | candidates | to embed | projected |\n");
    out.append("|---|---:|---:|---:|---:|---:|---:|\n");
    long rows = 0;
    long queries = 0;
    long queriesToEmbed = 0;
    long candidates = 0;
    long candidatesToEmbed = 0;
    for (Dataset d : datasets) {
      out.append(
          String.format(
              Locale.ROOT,
              "| %s | %d | %d | %d | %d | %d | %s |%n",
              d.name(),
              d.rows(),
              d.queries(),
              d.queriesToEmbed(),
              d.candidates(),
              d.candidatesToEmbed(),
              duration(seconds(d))));
      rows += d.rows();
      queries += d.queries();
      queriesToEmbed += d.queriesToEmbed();
      candidates += d.candidates();
      candidatesToEmbed += d.candidatesToEmbed();
    }
    out.append(
        String.format(
            Locale.ROOT,
            "| total (%d datasets) | %d | %d | %d | %d | %d | %s |%n",
            datasets.size(),
            rows,
            queries,
            queriesToEmbed,
            candidates,
            candidatesToEmbed,
            duration(totalSeconds())));
    out.append(
        calibrationItems == 0
            ? "\nNothing to embed: every embedding is cached.\n"
            : String.format(
                Locale.ROOT,
                "%nCalibration on %d items: %.3f s per query, %.3f s per candidate.%n",
                calibrationItems,
                secondsPerQuery,
                secondsPerCandidate));
    return out.toString();
  }

  static String duration(double seconds) {
    long s = Math.round(seconds);
    if (s < 60) {
      return s + " s";
    }
    if (s < 3600) {
      return String.format(Locale.ROOT, "%d min %02d s", s / 60, s % 60);
    }
    return String.format(Locale.ROOT, "%d h %02d min", s / 3600, (s % 3600) / 60);
  }
}
