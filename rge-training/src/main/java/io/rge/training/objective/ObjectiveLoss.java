package io.rge.training.objective;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import io.rge.core.Cosine;
import io.rge.core.qwen25vl.ModelOutput;
import io.rge.core.qwen25vl.OutputRequest;
import io.rge.core.qwen25vl.Qwen25VLModel;
import io.rge.core.qwen25vl.Scalars;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The loss terms of a {@link TokenBatch}, differentiable: one forward pass per pass of the batch,
 * gathering only the hidden states the terms read (the positions that predict labelled tokens and
 * the embedding positions), then the LM cross-entropy and InfoNCE over cosine similarities.
 */
final class ObjectiveLoss {
  /** Additive logit mask of a candidate that is no negative (finite: softmax stays defined). */
  private static final float MASKED = -1e9f;

  private ObjectiveLoss() {}

  /**
   * @param lm the mean next-token cross-entropy over labelled positions (scalar), or null
   * @param contrastive InfoNCE (scalar), or null without queries
   * @param queries the normalised query embeddings {@code [N, hidden]}, or null
   */
  record Terms(NDArray lm, NDArray contrastive, NDArray queries) {}

  static Terms compute(
      NDManager scope, Qwen25VLModel network, int padId, TokenBatch batch, double temperature) {
    List<NDArray> lmHidden = new ArrayList<>();
    List<Long> lmLabels = new ArrayList<>();
    List<NDArray> embeddingRows = new ArrayList<>();
    Map<TokenPosition, Integer> embeddingIndex = new HashMap<>();
    List<TokenPosition> reads = new ArrayList<>(batch.queries());
    reads.addAll(batch.candidates());
    for (int p = 0; p < batch.passes().size(); p++) {
      List<TokenSequence> pass = batch.passes().get(p);
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
      NDArray gathered = out.gathered();
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
      NDArray hidden = concat(lmHidden);
      NDArray logProbs = network.logits(hidden).logSoftmax(1);
      long[] labels = lmLabels.stream().mapToLong(Long::longValue).toArray();
      NDArray picked = logProbs.gather(scope.create(labels, new Shape(labels.length, 1)), 1);
      lm = picked.mean().neg();
    }
    if (batch.queries().isEmpty()) {
      return new Terms(lm, null, null);
    }
    NDArray embeddings = concat(embeddingRows);
    NDArray queries =
        Cosine.normaliseRows(
            embeddings.get(scope.create(indexes(batch.queries(), embeddingIndex))));
    NDArray candidates =
        Cosine.normaliseRows(
            embeddings.get(scope.create(indexes(batch.candidates(), embeddingIndex))));
    int n = batch.queries().size();
    NDArray logits =
        queries.matMul(candidates.transpose()).div(Scalars.constant(scope, (float) temperature));
    float[] duplicates = duplicateMask(batch);
    if (duplicates != null) {
      logits = logits.add(scope.create(duplicates, new Shape(n, batch.candidates().size())));
    }
    long[] diagonal = new long[n];
    for (int i = 0; i < n; i++) {
      diagonal[i] = i;
    }
    NDArray picked = logits.logSoftmax(1).gather(scope.create(diagonal, new Shape(n, 1)), 1);
    return new Terms(lm, picked.mean().neg(), queries);
  }

  /**
   * Keeps a candidate identical to a query's positive (same tokens, same image) out of that query's
   * negatives: a batch of synthetic or templated data often holds the same target twice, and
   * pushing a query away from a copy of its own answer only adds noise. Null when there are none.
   */
  private static float[] duplicateMask(TokenBatch batch) {
    int n = batch.queries().size();
    int m = batch.candidates().size();
    float[] mask = null;
    for (int i = 0; i < n; i++) {
      TokenSequence positive = sequence(batch, batch.candidates().get(i));
      for (int j = 0; j < m; j++) {
        if (j != i && sameContent(positive, sequence(batch, batch.candidates().get(j)))) {
          if (mask == null) {
            mask = new float[n * m];
          }
          mask[i * m + j] = MASKED;
        }
      }
    }
    return mask;
  }

  private static TokenSequence sequence(TokenBatch batch, TokenPosition p) {
    return batch.passes().get(p.pass()).get(p.row());
  }

  private static boolean sameContent(TokenSequence a, TokenSequence b) {
    if (a == b) {
      return true;
    }
    if (!java.util.Arrays.equals(a.ids(), b.ids()) || a.images().size() != b.images().size()) {
      return false;
    }
    for (int k = 0; k < a.images().size(); k++) {
      if (!java.util.Arrays.equals(
          a.images().get(k).pixelValues(), b.images().get(k).pixelValues())) {
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
