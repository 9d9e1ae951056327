package io.rge.eval.score;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Per-query ranking metrics over a ranked list of document ids and the query's relevant documents
 * with their grades (all positive; documents not in the map have grade 0).
 *
 * <p>NDCG uses linear gain, as the MMEB-V2 leaderboard's {@code ndcg_linear@k}: {@code DCG@k =
 * sum_{i<k} grade(ranked[i]) / log2(i + 2)}, divided by the DCG of the grades sorted high to low,
 * cut at k. Each document's own grade is used (graded relevance), so a query whose relevant pages
 * differ in grade is scored by which page was found where.
 */
public final class RankingMetrics {
  private RankingMetrics() {}

  /** 1 when a relevant document is among the first {@code k}, else 0. */
  public static double hitAt(List<String> ranked, Map<String, Double> grades, int k) {
    requireK(k);
    int n = Math.min(k, ranked.size());
    for (int i = 0; i < n; i++) {
      if (grades.containsKey(ranked.get(i))) {
        return 1.0;
      }
    }
    return 0.0;
  }

  /** The share of the relevant documents found among the first {@code k}. */
  public static double recallAt(List<String> ranked, Map<String, Double> grades, int k) {
    requireK(k);
    requireRelevant(grades);
    int n = Math.min(k, ranked.size());
    int found = 0;
    for (int i = 0; i < n; i++) {
      if (grades.containsKey(ranked.get(i))) {
        found++;
      }
    }
    return (double) found / grades.size();
  }

  /** NDCG@k with linear gain and graded relevance; 1 when the ranking is ideal. */
  public static double ndcgAt(List<String> ranked, Map<String, Double> grades, int k) {
    requireK(k);
    requireRelevant(grades);
    int n = Math.min(k, ranked.size());
    double dcg = 0;
    for (int i = 0; i < n; i++) {
      Double grade = grades.get(ranked.get(i));
      if (grade != null) {
        dcg += grade / log2(i + 2);
      }
    }
    double[] ideal = grades.values().stream().mapToDouble(Double::doubleValue).toArray();
    Arrays.sort(ideal);
    double idcg = 0;
    for (int i = 0; i < Math.min(k, ideal.length); i++) {
      double grade = ideal[ideal.length - 1 - i];
      if (!(grade > 0)) {
        throw new IllegalArgumentException("relevance grades must be positive, got " + grade);
      }
      idcg += grade / log2(i + 2);
    }
    return dcg / idcg;
  }

  private static double log2(int x) {
    return Math.log(x) / Math.log(2);
  }

  private static void requireK(int k) {
    if (k < 1) {
      throw new IllegalArgumentException("k must be at least 1, got " + k);
    }
  }

  private static void requireRelevant(Map<String, Double> grades) {
    if (grades.isEmpty()) {
      throw new IllegalArgumentException("a query needs at least one relevant document");
    }
  }
}
