package io.rge.training.objective;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import ai.djl.util.RandomUtils;
import io.rge.core.RgeModel;
import io.rge.core.qwen25vl.Scalars;
import java.util.ArrayList;
import java.util.List;

/**
 * InfoNCE over every row of an optimizer step, one micro-batch in memory at a time (GradCache, Gao
 * et al. 2021, "Scaling Deep Contrastive Learning Batch Size under Memory Limited Setup"):
 *
 * <ol>
 *   <li>every micro-batch's query and candidate embeddings, forward <em>without</em> a graph;
 *   <li>InfoNCE over the whole step on those cached embeddings, and its gradient with respect to
 *       each of them;
 *   <li>micro-batch by micro-batch, the same token sequences forward again <em>with</em> a graph,
 *       and backward of {@code w_lm · L_k / L · LM_k + Σ embedding · its cached gradient}, where
 *       {@code L_k} of the step's {@code L} labelled positions are the micro-batch's.
 * </ol>
 *
 * <p>The weight gradients are those of one batch holding every row of the step: its LM term is the
 * mean over all labelled positions, its candidates are every target (query {@code i}'s positive at
 * {@code i}) then every hard negative, and a row's copies of its own positive are masked across the
 * whole step. Peak memory is one micro-batch's graph plus the cached embeddings {@code [N + M,
 * hidden]}. Both forward passes of a micro-batch start from the same random seed, so that dropout
 * (adapters) draws the same masks in each.
 */
final class GradCache {
  private final RgeModel model;

  GradCache(RgeModel model) {
    this.model = model;
  }

  /**
   * The step's losses, after adding the gradient of {@code lossScale · total} to the weights'
   * gradients.
   */
  RgeObjective.Outcome accumulate(
      List<TokenBatch> microBatches, ObjectiveSettings s, double lossScale) {
    long start = System.nanoTime();
    int padId = model.tokenizer().padId();
    int labelled = 0;
    for (TokenBatch b : microBatches) {
      labelled += b.labelledPositions();
    }
    // Each micro-batch's two forward passes draw the same dropout masks (adapters).
    int salt = RandomUtils.nextInt(1 << 30);
    try (NDManager step = model.manager().newSubManager()) {
      // 1. Embeddings without a graph, candidates reordered as one batch orders them.
      List<NDArray> queries = new ArrayList<>();
      List<NDArray> targets = new ArrayList<>();
      List<NDArray> negatives = new ArrayList<>();
      List<TokenSequence> targetSequences = new ArrayList<>();
      List<TokenSequence> negativeSequences = new ArrayList<>();
      for (int k = 0; k < microBatches.size(); k++) {
        TokenBatch b = microBatches.get(k);
        Engine.getInstance().setRandomSeed(salt + k);
        try (NDManager scope = step.newSubManager()) {
          // The same passes as the recomputation below (the LM term included), so that both
          // draw the same dropout masks.
          ObjectiveLoss.Passes p = ObjectiveLoss.forward(scope, model.network(), padId, b);
          int n = b.queries().size();
          long m = b.candidates().size();
          queries.add(keep(p.queries(), step));
          targets.add(keep(p.candidates().get("0:" + n), step));
          negatives.add(keep(p.candidates().get(n + ":" + m), step));
        }
        for (int j = 0; j < b.candidates().size(); j++) {
          (j < b.queries().size() ? targetSequences : negativeSequences)
              .add(b.sequence(b.candidates().get(j)));
        }
      }
      NDArray q = concat(queries); // [N, hidden]
      NDArray c = NDArrays.concat(new NDList(concat(targets), concat(negatives)), 0); // [M, hidden]
      List<TokenSequence> candidateSequences = new ArrayList<>(targetSequences);
      candidateSequences.addAll(negativeSequences);
      int n = (int) q.getShape().get(0);

      // 2. InfoNCE over the step and its gradient with respect to each cached embedding.
      double contrastive =
          ObjectiveLoss.cachedInfoNce(
              step, q, c, candidateSequences, s.temperature(), s.contrastiveWeight());
      if (!Double.isFinite(contrastive)) {
        return new RgeObjective.Outcome(
            contrastive, Double.NaN, contrastive, System.nanoTime() - start);
      }
      NDArray queryGradients = q.getGradient(); // [N, hidden]
      NDArray candidateGradients = c.getGradient(); // [M, hidden]

      // 3. Each micro-batch again, with a graph: LM term and the cached gradients.
      double lmSum = 0;
      int queryOffset = 0;
      int targetOffset = 0;
      int negativeOffset = n;
      for (int k = 0; k < microBatches.size(); k++) {
        TokenBatch b = microBatches.get(k);
        Engine.getInstance().setRandomSeed(salt + k);
        int bn = b.queries().size();
        int bm = b.candidates().size();
        try (NDManager scope = step.newSubManager();
            GradientCollector collector = Engine.getInstance().newGradientCollector()) {
          ObjectiveLoss.Passes p = ObjectiveLoss.forward(scope, model.network(), padId, b);
          NDArray dq = queryGradients.get(queryOffset + ":" + (queryOffset + bn));
          NDArray dc =
              NDArrays.concat(
                  new NDList(
                      candidateGradients.get(targetOffset + ":" + (targetOffset + bn)),
                      candidateGradients.get(negativeOffset + ":" + (negativeOffset + bm - bn))),
                  0);
          NDArray surrogate = p.queries().mul(dq).sum().add(p.candidates().mul(dc).sum());
          if (p.lm() != null) {
            double lm = p.lm().getFloat();
            lmSum += lm * b.labelledPositions();
            if (!Double.isFinite(lm)) {
              return new RgeObjective.Outcome(lm, lm, contrastive, System.nanoTime() - start);
            }
            float share = (float) (s.lmWeight() * b.labelledPositions() / labelled);
            surrogate = surrogate.add(p.lm().mul(Scalars.constant(scope, share)));
          }
          // Through the model, so that recomputed layers (activation checkpointing) replay.
          model
              .network()
              .backward(collector, surrogate.mul(Scalars.constant(scope, (float) lossScale)));
        }
        queryOffset += bn;
        targetOffset += bn;
        negativeOffset += bm - bn;
      }
      double lm = labelled == 0 ? Double.NaN : lmSum / labelled;
      double total = (labelled == 0 ? 0 : s.lmWeight() * lm) + s.contrastiveWeight() * contrastive;
      return new RgeObjective.Outcome(total, lm, contrastive, System.nanoTime() - start);
    }
  }

  /** A copy of {@code x} outside the graph, owned by {@code manager}. */
  private static NDArray keep(NDArray x, NDManager manager) {
    NDArray copy = x.stopGradient();
    copy.attach(manager);
    return copy;
  }

  private static NDArray concat(List<NDArray> parts) {
    return parts.size() == 1 ? parts.get(0) : NDArrays.concat(new NDList(parts), 0);
  }
}
