package io.rge.eval;

import io.rge.core.MultimodalInput;
import io.rge.core.PreparedInput;
import io.rge.core.QueryEmbedding;
import io.rge.core.generation.GenerationSettings;
import java.util.List;

/**
 * Wraps an embedder to count its calls and inputs, and optionally to fail like a crash after a
 * number of calls.
 */
final class CountingEmbedder implements Embedder {
  /** Thrown in place of the call after the allowed ones. */
  static final class Interrupted extends RuntimeException {
    Interrupted(int call) {
      super("interrupted at model call " + call);
    }
  }

  private final Embedder inner;
  private final int failAfterCalls;
  int candidateCalls;
  int candidateInputs;
  int queryCalls;
  int queryInputs;

  CountingEmbedder(Embedder inner) {
    this(inner, Integer.MAX_VALUE);
  }

  CountingEmbedder(Embedder inner, int failAfterCalls) {
    this.inner = inner;
    this.failAfterCalls = failAfterCalls;
  }

  int calls() {
    return candidateCalls + queryCalls;
  }

  @Override
  public int dimension() {
    return inner.dimension();
  }

  @Override
  public String fingerprint() {
    return inner.fingerprint();
  }

  @Override
  public String cacheKey() {
    return inner.cacheKey();
  }

  @Override
  public PreparedInput prepareCandidate(MultimodalInput input) {
    return inner.prepareCandidate(input);
  }

  @Override
  public PreparedInput prepareQuery(MultimodalInput input, boolean reasoning) {
    return inner.prepareQuery(input, reasoning);
  }

  @Override
  public List<float[]> embedCandidates(List<PreparedInput> inputs, int batchSize) {
    check();
    candidateCalls++;
    candidateInputs += inputs.size();
    return inner.embedCandidates(inputs, batchSize);
  }

  @Override
  public List<QueryEmbedding> embedQueries(
      List<PreparedInput> inputs, boolean reasoning, GenerationSettings generation) {
    check();
    queryCalls++;
    queryInputs += inputs.size();
    return inner.embedQueries(inputs, reasoning, generation);
  }

  private void check() {
    if (calls() >= failAfterCalls) {
      throw new Interrupted(calls() + 1);
    }
  }
}
