package io.rge.training.objective;

import java.util.ArrayList;
import java.util.List;

/**
 * One objective step at the token level: the sequences of the two forward passes and where the
 * query and candidate embeddings are read. What the text-level API builds from examples (after
 * generating rationales), and what parity fixtures give directly.
 *
 * <p>The LM term is the mean next-token cross-entropy over every labelled position of both passes
 * (none: no LM term). The contrastive term, present when there are queries, is InfoNCE of query
 * {@code i} against all candidates with candidate {@code i} as the positive; candidates beyond the
 * queries are extra negatives.
 *
 * @param oracle the oracle pass: teacher-forced sequences, run first as one right-padded batch
 * @param embedding the embedding pass: sequences only embedded, run second
 * @param queries the query embeddings' positions, N of them
 * @param candidates the candidate embeddings' positions, at least N
 */
public record TokenBatch(
    List<TokenSequence> oracle,
    List<TokenSequence> embedding,
    List<TokenPosition> queries,
    List<TokenPosition> candidates) {

  public TokenBatch {
    oracle = List.copyOf(oracle);
    embedding = List.copyOf(embedding);
    queries = List.copyOf(queries);
    candidates = List.copyOf(candidates);
    if (candidates.size() < queries.size()) {
      throw new IllegalArgumentException(
          queries.size()
              + " queries but "
              + candidates.size()
              + " candidates: every query needs its positive candidate at the same index");
    }
    if (queries.isEmpty() && !candidates.isEmpty()) {
      throw new IllegalArgumentException("candidates without queries");
    }
    List<TokenPosition> all = new ArrayList<>(queries);
    all.addAll(candidates);
    for (TokenPosition p : all) {
      List<TokenSequence> pass = p.pass() == TokenPosition.Pass.ORACLE ? oracle : embedding;
      if (p.row() >= pass.size()) {
        throw new IllegalArgumentException(
            "embedding position " + p + " names a row that does not exist");
      }
      if (p.index() >= pass.get(p.row()).length()) {
        throw new IllegalArgumentException(
            "embedding position "
                + p
                + " is past the end of its sequence of "
                + pass.get(p.row()).length());
      }
    }
  }

  /** The sequences of one pass. */
  public List<TokenSequence> pass(TokenPosition.Pass pass) {
    return switch (pass) {
      case ORACLE -> oracle;
      case EMBEDDING -> embedding;
    };
  }

  /** The sequence an embedding is read from. */
  public TokenSequence sequence(TokenPosition p) {
    return pass(p.pass()).get(p.row());
  }

  /** Whether any sequence has a labelled position (the LM term runs). */
  public boolean hasLabels() {
    return labelledPositions() > 0;
  }

  /** Labelled positions of both passes: the LM term's denominator. */
  public int labelledPositions() {
    int n = 0;
    for (TokenPosition.Pass p : TokenPosition.Pass.values()) {
      for (TokenSequence s : pass(p)) {
        n += s.labelledPositions().length;
      }
    }
    return n;
  }
}
