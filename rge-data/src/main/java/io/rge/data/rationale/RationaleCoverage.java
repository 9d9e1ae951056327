package io.rge.data.rationale;

/**
 * How many rows of a subset have a rationale.
 *
 * @param covered rows with a rationale
 * @param rows rows in the subset
 */
public record RationaleCoverage(long covered, long rows) {
  public RationaleCoverage {
    if (rows < 0 || covered < 0 || covered > rows) {
      throw new IllegalArgumentException("need 0 <= covered <= rows, got " + covered + "/" + rows);
    }
  }

  /** covered / rows, 1 for an empty subset. */
  public double fraction() {
    return rows == 0 ? 1.0 : (double) covered / rows;
  }
}
