package io.rge.training.objective;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import io.rge.core.Cosine;
import io.rge.core.qwen25vl.ModelOutput;
import io.rge.core.qwen25vl.OutputRequest;
import io.rge.core.qwen25vl.Qwen25VLModel;
import io.rge.core.qwen25vl.Scalars;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The loss terms of a {@link TokenBatch}, differentiable: one forward pass per pass of the batch,
 * gathering only the hidden states the terms read (the positions that predict labelled tokens and
 * the embedding positions), then the LM cross-entropy and InfoNCE over cosine similarities. Public
 * for the data-parallel objective ({@code io.rge.training.parallel}), which runs the same passes on
 * each replica.
 */
public final class ObjectiveLoss {
  /** Additive logit mask of a candidate that is no negative (finite: softmax stays defined). */
  private static final float MASKED = -1e9f;

  private ObjectiveLoss() {}

  /**
   * @param lm the mean next-token cross-entropy over labelled positions (scalar), or null
   * @param contrastive InfoNCE (scalar), or null without queries
   */
  record Terms(NDArray lm, NDArray contrastive) {}

  /**
   * The final hidden states a step's terms read.
   *
   * @param lm the mean next-token cross-entropy over labelled positions (scalar), or null
   * @param queries query embeddings {@code [N, hidden]} (not normalised), or null without queries
   * @param candidates candidate embeddings {@code [M, hidden]}, or null
   */
  public record Passes(NDArray lm, NDArray queries, NDArray candidates) {}

  /** The LM term and InfoNCE of {@code batch}, as one graph. */
  static Terms compute(
      NDManager scope, Qwen25VLModel network, int padId, TokenBatch batch, double temperature) {
    Passes passes = forward(scope, network, padId, batch);
    if (passes.queries() == null) {
      return new Terms(passes.lm(), null);
    }
    NDArray mask =
        duplicateMask(
            scope,
            batch.candidates().stream().map(batch::sequence).toList(),
            batch.queries().size());
    return new Terms(
        passes.lm(), infoNce(passes.queries(), passes.candidates(), temperature, mask));
  }

  /**
   * InfoNCE over embeddings computed without a graph (GradCache's cache) and, when it is finite,
   * the gradient of {@code weight · InfoNCE} with respect to each: {@code queries.getGradient()}
   * and {@code candidates.getGradient()} afterwards.
   *
   * @param queries {@code [N, hidden]}, not recording gradients yet
   * @param candidates {@code [M, hidden]}: every query's positive at its index, then negatives
   * @param candidateSequences each candidate's sequence (for {@link #duplicateMask})
   * @return InfoNCE
   */
  public static double cachedInfoNce(
      NDManager scope,
      NDArray queries,
      NDArray candidates,
      List<TokenSequence> candidateSequences,
      double temperature,
      double weight) {
    queries.setRequiresGradient(true);
    candidates.setRequiresGradient(true);
    int n = (int) queries.getShape().get(0);
    try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
      NDArray loss =
          infoNce(queries, candidates, temperature, duplicateMask(scope, candidateSequences, n));
      double value = loss.getFloat();
      if (Double.isFinite(value)) {
        collector.backward(loss.mul(Scalars.constant(scope, (float) weight)));
      }
      return value;
    }
  }

  /**
   * InfoNCE over cosine similarities, as VLM2Vec's {@code MMEBModel.forward} computes it: query
   * {@code i}'s positive is candidate {@code i}; every other candidate is a negative unless {@code
   * mask} takes it out.
   *
   * @param queries {@code [N, hidden]}
   * @param candidates {@code [M, hidden]}, M ≥ N
   * @param mask additive {@code [N, M]} ({@link #MASKED} where a candidate is no negative), or null
   */
  static NDArray infoNce(NDArray queries, NDArray candidates, double temperature, NDArray mask) {
    NDManager scope = queries.getManager();
    int n = (int) queries.getShape().get(0);
    NDArray scores =
        Cosine.normaliseRows(queries)
            .matMul(Cosine.normaliseRows(candidates).transpose())
            .div(Scalars.constant(scope, (float) temperature)); // [N, M]
    if (mask != null) {
      scores = scores.add(mask);
    }
    long[] target = new long[n]; // arange(N): the positive is on the diagonal
    Arrays.setAll(target, i -> i);
    NDArray picked = scores.logSoftmax(1).gather(scope.create(target, new Shape(n, 1)), 1);
    return picked.mean().neg(); // cross_entropy(scores, target)
  }

  /**
   * Runs the oracle pass then the embedding pass, each as one right-padded batch, and reads from
   * them the LM term and the embeddings.
   */
  public static Passes forward(
      NDManager scope, Qwen25VLModel network, int padId, TokenBatch batch) {
    List<NDArray> lmHidden = new ArrayList<>();
    List<Long> lmLabels = new ArrayList<>();
    List<NDArray> embeddingRows = new ArrayList<>();
    Map<TokenPosition, Integer> embeddingIndex = new HashMap<>();
    List<TokenPosition> reads = new ArrayList<>(batch.queries());
    reads.addAll(batch.candidates());
    for (TokenPosition.Pass p : TokenPosition.Pass.values()) {
      List<TokenSequence> pass = batch.pass(p);
      SequenceBatch sequences = new SequenceBatch();
      List<int[]> pairs = new ArrayList<>();
      for (int r = 0; r < pass.size(); r++) {
        TokenSequence s = pass.get(r);
        sequences.add(s.ids(), s.images());
        // Position t - 1 predicts the labelled token at t.
        for (int t : s.labelledPositions()) {
          pairs.add(new int[] {r, t - 1});
          lmLabels.add((long) s.label(t));
        }
      }
      int lmCount = pairs.size();
      for (TokenPosition read : reads) {
        if (read.pass() == p && !embeddingIndex.containsKey(read)) {
          embeddingIndex.put(read, embeddingIndex.size());
          pairs.add(new int[] {read.row(), read.index()});
        }
      }
      if (pairs.isEmpty()) {
        continue; // nothing of this pass enters a loss term
      }
      ModelOutput out =
          network.forward(
              scope, sequences.toInput(padId), OutputRequest.gatherAt(pairs.toArray(new int[0][])));
      NDArray gathered = out.gathered(); // [pairs, hidden]
      if (lmCount == pairs.size()) {
        lmHidden.add(gathered);
      } else if (lmCount == 0) {
        embeddingRows.add(gathered);
      } else {
        lmHidden.add(gathered.get(new NDIndex().addSliceDim(0, lmCount)));
        embeddingRows.add(gathered.get(new NDIndex().addSliceDim(lmCount, pairs.size())));
      }
    }
    NDArray lm = null;
    if (!lmHidden.isEmpty()) {
      NDArray logProbs = network.logits(concat(lmHidden)).logSoftmax(1); // [T, vocab]
      long[] labels = lmLabels.stream().mapToLong(Long::longValue).toArray();
      NDArray picked = logProbs.gather(scope.create(labels, new Shape(labels.length, 1)), 1);
      lm = picked.mean().neg();
    }
    if (batch.queries().isEmpty()) {
      return new Passes(lm, null, null);
    }
    NDArray embeddings = concat(embeddingRows); // [distinct reads, hidden]
    NDArray queries = embeddings.get(scope.create(indexes(batch.queries(), embeddingIndex)));
    NDArray candidates = embeddings.get(scope.create(indexes(batch.candidates(), embeddingIndex)));
    return new Passes(lm, queries, candidates);
  }

  /**
   * Keeps a candidate identical to a query's positive (same tokens, same image) out of that query's
   * negatives: a batch of synthetic or templated data often holds the same target twice, and
   * pushing a query away from a copy of its own answer only adds noise. Null when there are none.
   *
   * @param candidates every candidate's sequence; the first {@code queries} are the positives
   * @return additive {@code [N, M]}, or null
   */
  static NDArray duplicateMask(NDManager scope, List<TokenSequence> candidates, int queries) {
    int m = candidates.size();
    float[] mask = null;
    for (int i = 0; i < queries; i++) {
      TokenSequence positive = candidates.get(i);
      for (int j = 0; j < m; j++) {
        if (j != i && sameContent(positive, candidates.get(j))) {
          if (mask == null) {
            mask = new float[queries * m];
          }
          mask[i * m + j] = MASKED;
        }
      }
    }
    return mask == null ? null : scope.create(mask, new Shape(queries, m));
  }

  private static boolean sameContent(TokenSequence a, TokenSequence b) {
    if (a == b) {
      return true;
    }
    if (!Arrays.equals(a.ids(), b.ids()) || a.images().size() != b.images().size()) {
      return false;
    }
    for (int k = 0; k < a.images().size(); k++) {
      if (!Arrays.equals(a.images().get(k).pixelValues(), b.images().get(k).pixelValues())) {
        return false;
      }
    }
    return true;
  }

  private static long[] indexes(List<TokenPosition> reads, Map<TokenPosition, Integer> index) {
    long[] out = new long[reads.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = index.get(reads.get(i));
    }
    return out;
  }

  private static NDArray concat(List<NDArray> parts) {
    return parts.size() == 1 ? parts.get(0) : NDArrays.concat(new NDList(parts), 0);
  }
}
