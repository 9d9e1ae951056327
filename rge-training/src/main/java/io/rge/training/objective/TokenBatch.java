package io.rge.training.objective;

import java.util.ArrayList;
import java.util.List;

/**
 * One objective step at the token level: the sequences of each forward pass and where the query and
 * candidate embeddings are read. What the text-level API builds from examples (after generating
 * rationales), and what parity fixtures give directly.
 *
 * <p>The LM term is the mean next-token cross-entropy over every labelled position of every pass
 * (none: no LM term). The contrastive term, present when there are queries, is InfoNCE of
 * normalised query {@code i} against all normalised candidates with candidate {@code i} as the
 * positive; candidates beyond the queries are extra negatives.
 *
 * @param passes forward passes, each a list of sequences run as one right-padded batch
 * @param queries the query embeddings' positions, N of them
 * @param candidates the candidate embeddings' positions, at least N
 */
public record TokenBatch(
    List<List<TokenSequence>> passes, List<TokenPosition> queries, List<TokenPosition> candidates) {

  public TokenBatch {
    List<List<TokenSequence>> copied = new ArrayList<>(passes.size());
    for (List<TokenSequence> pass : passes) {
      copied.add(List.copyOf(pass));
    }
    passes = List.copyOf(copied);
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
      if (p.pass() >= passes.size() || p.row() >= passes.get(p.pass()).size()) {
        throw new IllegalArgumentException(
            "embedding position " + p + " names a pass or row that does not exist");
      }
      TokenSequence s = passes.get(p.pass()).get(p.row());
      if (p.index() >= s.length()) {
        throw new IllegalArgumentException(
            "embedding position " + p + " is past the end of its sequence of " + s.length());
      }
    }
  }

  /** Whether any sequence has a labelled position (the LM term runs). */
  public boolean hasLabels() {
    for (List<TokenSequence> pass : passes) {
      for (TokenSequence s : pass) {
        if (s.labelledPositions().length > 0) {
          return true;
        }
      }
    }
    return false;
  }
}
