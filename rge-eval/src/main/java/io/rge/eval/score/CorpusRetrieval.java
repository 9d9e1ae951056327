package io.rge.eval.score;

import io.rge.core.Cosine;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Scores a retrieval task in which every query searches one shared corpus (the visual-document
 * tasks): each query is ranked against all pages by cosine similarity, and its best {@link
 * RetrievalScore#DEPTH} pages are scored against its graded relevant pages.
 *
 * <p>Page norms are computed once; per query only one row of scores ({@code [pages]}) is held.
 */
public final class CorpusRetrieval {
  private final List<String> pageIds;
  private final List<float[]> pages;
  private final double[] pageNorms; // [pages]

  /**
   * @param pageIds the corpus ids, in corpus order (ties rank the earlier page first)
   * @param pages their embeddings, in the same order, all of one width
   * @throws IllegalArgumentException when the lists differ in length, ids repeat or widths differ
   */
  public CorpusRetrieval(List<String> pageIds, List<float[]> pages) {
    if (pageIds.size() != pages.size()) {
      throw new IllegalArgumentException(
          pageIds.size() + " page ids but " + pages.size() + " page embeddings");
    }
    if (pages.isEmpty()) {
      throw new IllegalArgumentException("the corpus is empty");
    }
    Set<String> seen = new HashSet<>();
    for (String id : pageIds) {
      if (!seen.add(Objects.requireNonNull(id, "page id"))) {
        throw new IllegalArgumentException("page id " + id + " appears twice");
      }
    }
    int width = pages.get(0).length;
    this.pageNorms = new double[pages.size()];
    for (int i = 0; i < pages.size(); i++) {
      if (pages.get(i).length != width) {
        throw new IllegalArgumentException(
            "page " + pageIds.get(i) + " has width " + pages.get(i).length + ", expected " + width);
      }
      pageNorms[i] = Cosine.norm(pages.get(i));
    }
    this.pageIds = List.copyOf(pageIds);
    this.pages = List.copyOf(pages);
  }

  /** The ids of the best {@code k} pages for {@code query}, best first. */
  public List<String> rank(float[] query, int k) {
    if (query.length != pages.get(0).length) {
      throw new IllegalArgumentException(
          "query has width " + query.length + ", pages " + pages.get(0).length);
    }
    double queryNorm = Cosine.norm(query);
    double[] scores = new double[pages.size()]; // [pages]
    for (int i = 0; i < scores.length; i++) {
      scores[i] = Cosine.similarity(query, queryNorm, pages.get(i), pageNorms[i]);
    }
    List<String> out = new ArrayList<>(k);
    for (int i : TopRanking.of(scores, k)) {
      out.add(pageIds.get(i));
    }
    return out;
  }

  /**
   * Scores queries against the corpus.
   *
   * @param queries query embeddings
   * @param relevant each query's relevant pages with their positive grades, in the same order
   */
  public RetrievalScore score(List<float[]> queries, List<Map<String, Double>> relevant) {
    if (queries.size() != relevant.size()) {
      throw new IllegalArgumentException(
          queries.size() + " query embeddings but " + relevant.size() + " relevance sets");
    }
    RetrievalScore.Accumulator sum = new RetrievalScore.Accumulator();
    for (int q = 0; q < queries.size(); q++) {
      sum.add(rank(queries.get(q), RetrievalScore.DEPTH), relevant.get(q));
    }
    return sum.score();
  }
}
