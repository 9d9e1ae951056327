package io.rge.data.mmeb;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The relevance judgements of one visual-document task, as the leaderboard uses them: rows with a
 * score of 0 or less are dropped, and a (query, page) pair listed twice keeps its higher score.
 * Queries and pages keep the order of their first positive row. Immutable.
 */
public final class Qrels {
  private final Map<String, Map<String, Double>> byQuery;
  private final long rows;
  private final long nonPositive;
  private final long repeated;

  private Qrels(
      Map<String, Map<String, Double>> byQuery, long rows, long nonPositive, long repeated) {
    this.byQuery = byQuery;
    this.rows = rows;
    this.nonPositive = nonPositive;
    this.repeated = repeated;
  }

  static Qrels of(Iterable<QrelRow> rows) {
    Map<String, Map<String, Double>> byQuery = new LinkedHashMap<>();
    long count = 0;
    long nonPositive = 0;
    long repeated = 0;
    for (QrelRow row : rows) {
      count++;
      if (!(row.score() > 0)) {
        nonPositive++;
        continue;
      }
      Map<String, Double> grades =
          byQuery.computeIfAbsent(row.queryId(), q -> new LinkedHashMap<>());
      Double before = grades.putIfAbsent(row.corpusId(), row.score());
      if (before != null) {
        repeated++;
        grades.put(row.corpusId(), Math.max(before, row.score()));
      }
    }
    Map<String, Map<String, Double>> frozen = new LinkedHashMap<>();
    byQuery.forEach((q, grades) -> frozen.put(q, Collections.unmodifiableMap(grades)));
    return new Qrels(Collections.unmodifiableMap(frozen), count, nonPositive, repeated);
  }

  /** The relevant pages of {@code queryId} with their grades (all positive); empty when none. */
  public Map<String, Double> positives(String queryId) {
    return byQuery.getOrDefault(queryId, Map.of());
  }

  /** Queries with at least one relevant page. */
  public Set<String> queryIds() {
    return byQuery.keySet();
  }

  /** Rows read, before the rules. */
  public long rows() {
    return rows;
  }

  /** Rows dropped because their score was 0 or less. */
  public long nonPositiveRows() {
    return nonPositive;
  }

  /** Positive rows whose (query, page) pair had already been listed; the higher score is kept. */
  public long repeatedPairs() {
    return repeated;
  }
}
