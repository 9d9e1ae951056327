package io.rge.core.generation;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;

/**
 * A fixed list of prompts as a {@link GenerationSource}: taken in order of length (so that rows
 * admitted together pad little), results kept in the list's order.
 */
final class FixedRequests implements GenerationSource {
  private final List<GenerationRequest> requests;
  private final Deque<Integer> pending = new ArrayDeque<>();
  private final GeneratedQuery[] results;
  private final int[] prefix;

  FixedRequests(List<GenerationRequest> requests, int[] prefix) {
    this.requests = requests;
    this.prefix = prefix.clone();
    this.results = new GeneratedQuery[requests.size()];
    int[] lengths = requests.stream().mapToInt(r -> r.promptIds().length).toArray();
    for (int[] batch : LengthBatches.of(lengths, Math.max(1, requests.size()))) {
      for (int row : batch) {
        pending.add(row);
      }
    }
  }

  @Override
  public int waiting() {
    return pending.size();
  }

  @Override
  public List<GenerationJob> take(int max, boolean idle) {
    List<GenerationJob> jobs = new ArrayList<>(Math.min(max, pending.size()));
    while (jobs.size() < max && !pending.isEmpty()) {
      int index = pending.poll();
      jobs.add(
          new GenerationJob() {
            @Override
            public GenerationRequest request() {
              return requests.get(index);
            }

            @Override
            public void complete(GeneratedQuery result) {
              results[index] = result;
            }
          });
    }
    return jobs;
  }

  @Override
  public int[] sharedPrefix() {
    return prefix.clone();
  }

  /** Results in the order of the requests. */
  List<GeneratedQuery> results() {
    return Arrays.asList(results);
  }
}
