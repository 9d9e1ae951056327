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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The joint RGE objective of one optimizer step — the one place to read to understand the method.
 * The step's micro-batches are split across {@link Workers} (one inline worker, or one thread per
 * device), each worker taking a contiguous slice of every micro-batch. A step runs these phases,
 * named here once:
 *
 * <ol>
 *   <li><b>prepare</b> ({@link Preparation}, on each worker): the <em>oracle sequences</em> (prompt
 *       + oracle rationale + {@code <emb>}, labelled on the rationale and {@code <emb>}: the LM
 *       term); the <em>query rationales</em> — prompt + a rationale the current model generates on
 *       the fly, without gradient (rge); prompt alone (baseline); prompt + the oracle rationale
 *       (oracle-leak, which leaks the answer); the candidates as prompt + {@code <emb>}; all laid
 *       out as the {@link TokenPosition.Pass#ORACLE oracle pass} and the {@link
 *       TokenPosition.Pass#EMBEDDING embedding pass} of a {@link TokenBatch};
 *   <li><b>embed</b>: every chunk's query and candidate embeddings, forward <em>without</em> a
 *       graph, gathered on the lead;
 *   <li><b>contrast</b>: {@link ObjectiveLoss#infoNce InfoNCE} of {@code cos(q_i, c_j) / τ} over
 *       the group's cached embeddings against {@code j = i}, and its gradient with respect to each
 *       (GradCache, Gao et al. 2021);
 *   <li><b>backpropagate</b>: each chunk forward again <em>with</em> a graph on its worker, and
 *       backward of {@code Σ q · dq + Σ c · dc + w_lm · L_k / L · LM_k}, where {@code L_k} of the
 *       group's {@code L} labelled positions are the chunk's, so that LM is the mean next-token
 *       cross-entropy over every labelled position of the group.
 * </ol>
 *
 * <p>The rows sharing one InfoNCE (a group) are every row of the step ({@link
 * ContrastiveBatch#STEP}) or those of one micro-batch, whose loss is then scaled by 1/k. A group of
 * one chunk needs no cache: embed, contrast and backpropagate are then <b>one pass</b>, forward
 * with a graph and backward of {@link ObjectiveSettings#total the loss formula} — the same
 * gradients with one forward pass fewer. The weights' gradients are always those of one model on
 * all the group's rows: its candidates are every target (query {@code i}'s positive at {@code i})
 * then every hard negative, and a row's copies of its own positive are masked across the group.
 *
 * <p>In rge mode the contrastive forward pass never sees the oracle text (its queries are in the
 * embedding pass, after generated rationales), so oracle rationales can only shape the embeddings
 * through what the model learns to write.
 */
public final class RgeObjective {
  private static final Logger LOG = LoggerFactory.getLogger(RgeObjective.class);
  private final Workers workers;
  private final List<Preparation> preparations = new ArrayList<>();
  private boolean leakWarned;

  /** The objective on one model, on the caller's thread. */
  public RgeObjective(RgeModel model) {
    this(Workers.inline(model));
  }

  public RgeObjective(Workers workers) {
    this.workers = workers;
    for (int w = 0; w < workers.size(); w++) {
      preparations.add(new Preparation(workers.model(w)));
    }
  }

  /**
   * Adds the gradient of {@code lossScale ·} the step's objective to the lead's weight gradients
   * (accumulated; the caller clears them after the optimizer step), stopping after the first
   * non-finite group (the caller then skips the update).
   *
   * @param microBatches the step's examples; each has at least as many rows as there are workers,
   *     or none (a micro-batch the caller knows has nothing to optimise: it counts in the 1/k of
   *     per-micro-batch groups and runs nothing)
   * @param lossScale fp16's loss scale, else 1
   */
  public StepLosses step(
      List<List<TrainExample>> microBatches,
      ObjectiveSettings s,
      ContrastiveBatch batching,
      double lossScale) {
    int n = workers.size();
    int rows = 0;
    for (List<TrainExample> batch : microBatches) {
      if (!batch.isEmpty() && batch.size() < n) {
        throw new IllegalArgumentException(
            "a micro-batch of " + batch.size() + " rows cannot be split across " + n + " workers");
      }
      rows += batch.size();
    }
    warnOnLeak(s);
    List<List<PreparedBatch>> prepared =
        workers.onEach(
            w -> {
              List<PreparedBatch> out = new ArrayList<>();
              for (List<TrainExample> batch : microBatches) {
                List<TrainExample> slice = slice(batch, w, n);
                out.add(contributes(slice, s) ? preparations.get(w).prepare(slice, s) : null);
              }
              return out;
            });
    long generationNanos = 0;
    for (List<PreparedBatch> worker : prepared) {
      long own = worker.stream().mapToLong(p -> p == null ? 0 : p.generationNanos()).sum();
      generationNanos = Math.max(generationNanos, own);
    }
    boolean stepWide =
        batching == ContrastiveBatch.STEP && microBatches.size() > 1 && s.hasContrastiveTerm();
    List<List<Chunk>> groups = new ArrayList<>();
    for (int k = 0; k < microBatches.size(); k++) {
      if (k == 0 || !stepWide) {
        groups.add(new ArrayList<>());
      }
      for (int w = 0; w < n; w++) {
        PreparedBatch p = prepared.get(w).get(k);
        if (p != null) {
          groups.get(groups.size() - 1).add(new Chunk(w, p));
        }
      }
    }
    double scale = stepWide ? 1 : 1.0 / microBatches.size();
    List<StepLosses> losses = new ArrayList<>();
    try {
      for (List<Chunk> group : groups) {
        if (group.isEmpty()) {
          continue; // an LM-only micro-batch without oracle rationales
        }
        StepLosses l =
            group.size() == 1
                ? onePass(group.get(0), s, lossScale * scale, true)
                : cached(group, s, scale, lossScale);
        losses.add(l);
        if (!l.isFinite()) {
          break;
        }
      }
    } finally {
      workers.reduceGradients();
    }
    return StepLosses.of(losses, rows, generationNanos);
  }

  /** The step of one batch on one worker, its gradient added (a token-level batch: parity). */
  public StepLosses step(TokenBatch batch, ObjectiveSettings s, double lossScale) {
    return onePass(new Chunk(0, given(batch)), s, lossScale, true);
  }

  /** The losses of {@code batch} without touching gradients. */
  public StepLosses evaluate(List<TrainExample> batch, ObjectiveSettings s) {
    warnOnLeak(s);
    return onePass(new Chunk(0, prepare(batch, s)), s, 0, false);
  }

  /** The losses of a token-level batch without touching gradients. */
  public StepLosses evaluate(TokenBatch batch, ObjectiveSettings s) {
    return onePass(new Chunk(0, given(batch)), s, 0, false);
  }

  /** The {@code prepare} phase of {@code batch} on the lead. */
  public PreparedBatch prepare(List<TrainExample> batch, ObjectiveSettings s) {
    return workers.onEach(w -> w == 0 ? preparations.get(0).prepare(batch, s) : null).get(0);
  }

  /** One worker's prepared slice of one micro-batch. */
  private record Chunk(int worker, PreparedBatch prepared) {
    TokenBatch tokens() {
      return prepared.tokens();
    }
  }

  /** A chunk's embeddings from the embed phase, on the lead's device. */
  private record Cached(NDArray queries, NDArray targets, NDArray negatives) {}

  /**
   * Embed, contrast and backpropagate as one graph on the chunk's worker: the gradient of {@code
   * multiplier · total} (when {@code backward}); a non-finite total adds nothing.
   */
  private StepLosses onePass(
      Chunk chunk, ObjectiveSettings s, double multiplier, boolean backward) {
    return workers
        .onEach(w -> w == chunk.worker() ? onePassOn(chunk, s, multiplier, backward) : null)
        .get(chunk.worker());
  }

  private StepLosses onePassOn(
      Chunk chunk, ObjectiveSettings s, double multiplier, boolean backward) {
    long start = System.nanoTime();
    RgeModel model = workers.model(chunk.worker());
    try (NDManager scope = model.manager().newSubManager();
        GradientCollector collector = backward ? workers.gradients(chunk.worker()) : null) {
      ObjectiveLoss.Terms terms =
          ObjectiveLoss.compute(
              scope, model.network(), model.tokenizer().padId(), chunk.tokens(), s.temperature());
      NDArray total = s.total(terms.lm(), terms.contrastive());
      if (total == null) {
        throw new IllegalStateException(
            "nothing to optimise: the batch has no labelled position and no query");
      }
      double totalValue = total.getFloat();
      if (backward && Double.isFinite(totalValue)) {
        model.network().backward(collector, total.mul(Scalars.constant(scope, (float) multiplier)));
      }
      return losses(
          chunk.prepared(),
          totalValue,
          terms.lm() == null ? Double.NaN : terms.lm().getFloat(),
          terms.contrastive() == null ? Double.NaN : terms.contrastive().getFloat(),
          System.nanoTime() - start);
    }
  }

  /** Embed, contrast and backpropagate over a group of several chunks. */
  private StepLosses cached(
      List<Chunk> group, ObjectiveSettings s, double scale, double lossScale) {
    long start = System.nanoTime();
    int labelled = 0;
    for (Chunk c : group) {
      labelled += c.tokens().labelledPositions();
    }
    // Each chunk's two forward passes draw the same dropout masks (adapters).
    int salt = RandomUtils.nextInt(1 << 30);
    RgeModel lead = workers.model(0);
    try (NDManager scope = lead.manager().newSubManager()) {
      Double contrastive = null;
      List<NDArray[]> gradients = new ArrayList<>(); // per chunk: [dq, dc], on the lead
      if (s.hasContrastiveTerm()) {
        contrastive = contrast(group, embed(group, salt, scope), s, scale, scope, gradients);
        if (!Double.isFinite(contrastive)) {
          return losses(group, contrastive, Double.NaN, contrastive, System.nanoTime() - start);
        }
      }
      double[] lms = backpropagate(group, gradients, s, scale, lossScale, labelled, salt);
      double lmSum = 0; // a non-finite chunk makes the sum, and so the group, non-finite
      for (int i = 0; i < group.size(); i++) {
        int positions = group.get(i).tokens().labelledPositions();
        lmSum += positions == 0 ? 0 : lms[i] * positions;
      }
      Double lm = labelled == 0 ? null : lmSum / labelled;
      double total = s.total(lm, contrastive);
      return losses(
          group,
          total,
          lm == null ? Double.NaN : lm,
          contrastive == null ? Double.NaN : contrastive,
          System.nanoTime() - start);
    }
  }

  /** The embed phase: each chunk's embeddings, without a graph, copied to the lead's device. */
  private List<Cached> embed(List<Chunk> group, int salt, NDManager leadScope) {
    List<List<Cached>> perWorker =
        workers.onEach(
            w -> {
              RgeModel m = workers.model(w);
              List<Cached> out = new ArrayList<>();
              for (int i = 0; i < group.size(); i++) {
                Chunk c = group.get(i);
                if (c.worker() != w) {
                  continue;
                }
                Engine.getInstance().setRandomSeed(salt + i);
                try (NDManager scope = m.manager().newSubManager()) {
                  // The same passes as backpropagate's (the LM term included), so that both draw
                  // the same dropout masks.
                  ObjectiveLoss.Passes p =
                      ObjectiveLoss.forward(scope, m.network(), m.tokenizer().padId(), c.tokens());
                  int bn = c.tokens().queries().size();
                  int bm = c.tokens().candidates().size();
                  out.add(
                      new Cached(
                          toScope(p.queries(), leadScope), // [bn, hidden]
                          toScope(p.candidates().get("0:" + bn), leadScope), // [bn, hidden]
                          toScope(p.candidates().get(bn + ":" + bm), leadScope))); // [bm - bn, .]
                }
              }
              return out;
            });
    List<Cached> ordered = new ArrayList<>();
    int[] next = new int[workers.size()];
    for (Chunk c : group) {
      ordered.add(perWorker.get(c.worker()).get(next[c.worker()]++));
    }
    return ordered;
  }

  /**
   * The contrast phase, on the lead: InfoNCE over the group, and its gradient (times {@code w_cl ·
   * scale}) with respect to each chunk's query and candidate embeddings, added to {@code
   * gradients}.
   *
   * @return the InfoNCE value
   */
  private static double contrast(
      List<Chunk> group,
      List<Cached> cached,
      ObjectiveSettings s,
      double scale,
      NDManager scope,
      List<NDArray[]> gradients) {
    List<NDArray> queries = new ArrayList<>();
    NDList candidates = new NDList();
    List<TokenSequence> sequences = new ArrayList<>();
    for (int i = 0; i < group.size(); i++) {
      TokenBatch b = group.get(i).tokens();
      queries.add(cached.get(i).queries());
      candidates.add(cached.get(i).targets());
      for (int j = 0; j < b.queries().size(); j++) {
        sequences.add(b.sequence(b.candidates().get(j)));
      }
    }
    for (int i = 0; i < group.size(); i++) {
      TokenBatch b = group.get(i).tokens();
      candidates.add(cached.get(i).negatives());
      for (int j = b.queries().size(); j < b.candidates().size(); j++) {
        sequences.add(b.sequence(b.candidates().get(j)));
      }
    }
    NDArray q = concat(queries); // [N, hidden]
    NDArray c = NDArrays.concat(candidates, 0); // [M, hidden]: targets, then hard negatives
    int n = (int) q.getShape().get(0);
    double contrastive =
        ObjectiveLoss.cachedInfoNce(
            scope, q, c, sequences, s.temperature(), s.contrastiveWeight() * scale);
    if (!Double.isFinite(contrastive)) {
      return contrastive;
    }
    NDArray dq = q.getGradient(); // [N, hidden]
    NDArray dc = c.getGradient(); // [M, hidden]
    dq.attach(scope);
    dc.attach(scope);
    int queryOffset = 0;
    int negativeOffset = n;
    for (Chunk chunk : group) {
      int bn = chunk.tokens().queries().size();
      int negatives = chunk.tokens().candidates().size() - bn;
      NDArray chunkQueries = dq.get(queryOffset + ":" + (queryOffset + bn)); // [bn, hidden]
      NDArray chunkCandidates =
          NDArrays.concat(
              new NDList(
                  dc.get(queryOffset + ":" + (queryOffset + bn)),
                  dc.get(negativeOffset + ":" + (negativeOffset + negatives))),
              0); // [bn + negatives, hidden]
      gradients.add(new NDArray[] {chunkQueries, chunkCandidates});
      queryOffset += bn;
      negativeOffset += negatives;
    }
    return contrastive;
  }

  /**
   * The backpropagate phase: every chunk forward again with a graph on its worker, and backward of
   * {@code lossScale ·} its embeddings' cached gradients plus its share of the LM term.
   *
   * @param gradients per chunk [dq, dc] from the contrast phase; empty without a contrastive term
   * @return each chunk's LM value (NaN without labels); a non-finite one adds no gradient
   */
  private double[] backpropagate(
      List<Chunk> group,
      List<NDArray[]> gradients,
      ObjectiveSettings s,
      double scale,
      double lossScale,
      int labelled,
      int salt) {
    List<double[]> perWorker =
        workers.onEach(
            w -> {
              RgeModel m = workers.model(w);
              double[] lms = new double[group.size()];
              for (int i = 0; i < group.size(); i++) {
                Chunk c = group.get(i);
                lms[i] = Double.NaN;
                if (c.worker() != w) {
                  continue;
                }
                Engine.getInstance().setRandomSeed(salt + i);
                try (NDManager scope = m.manager().newSubManager();
                    GradientCollector collector = workers.gradients(w)) {
                  ObjectiveLoss.Passes p =
                      ObjectiveLoss.forward(scope, m.network(), m.tokenizer().padId(), c.tokens());
                  NDArray surrogate = null;
                  if (!gradients.isEmpty()) {
                    NDArray dq = toScope(gradients.get(i)[0], scope);
                    NDArray dc = toScope(gradients.get(i)[1], scope);
                    surrogate = p.queries().mul(dq).sum().add(p.candidates().mul(dc).sum());
                  }
                  if (p.lm() != null) {
                    lms[i] = p.lm().getFloat();
                    if (!Double.isFinite(lms[i])) {
                      continue;
                    }
                    float share =
                        (float) (s.lmWeight() * scale * c.tokens().labelledPositions() / labelled);
                    NDArray term = p.lm().mul(Scalars.constant(scope, share));
                    surrogate = surrogate == null ? term : surrogate.add(term);
                  }
                  if (surrogate != null) {
                    // Through the model, so that recomputed layers (activation checkpointing)
                    // replay.
                    m.network()
                        .backward(
                            collector, surrogate.mul(Scalars.constant(scope, (float) lossScale)));
                  }
                }
              }
              return lms;
            });
    double[] lms = new double[group.size()];
    for (int i = 0; i < group.size(); i++) {
      lms[i] = perWorker.get(group.get(i).worker())[i];
    }
    return lms;
  }

  /** Worker {@code w}'s contiguous share of {@code batch} (sizes differ by at most one). */
  static <T> List<T> slice(List<T> batch, int w, int workers) {
    int size = batch.size();
    return batch.subList(size * w / workers, size * (w + 1) / workers);
  }

  /** Whether a slice enters the step: with a contrastive term, else with an LM label. */
  private static boolean contributes(List<TrainExample> slice, ObjectiveSettings s) {
    return !slice.isEmpty()
        && (s.hasContrastiveTerm()
            || (s.hasLmTerm() && slice.stream().anyMatch(e -> e.oracleRationale() != null)));
  }

  private void warnOnLeak(ObjectiveSettings s) {
    if (s.mode() == ObjectiveMode.ORACLE_LEAK && !leakWarned) {
      LOG.warn(
          "objective mode oracle-leak: contrastive queries see the oracle rationale, which leaks"
              + " the answer into the query (an ablation; RGE itself never does this)");
      leakWarned = true;
    }
  }

  private static PreparedBatch given(TokenBatch tokens) {
    return new PreparedBatch(tokens, 0, 0, 0);
  }

  private static StepLosses losses(
      PreparedBatch p, double total, double lm, double contrastive, long nanos) {
    return new StepLosses(
        total,
        lm,
        contrastive,
        p.meanRationaleTokens(),
        0,
        nanos,
        p.rows(),
        p.generatedRationales(),
        1);
  }

  private static StepLosses losses(
      List<Chunk> group, double total, double lm, double contrastive, long nanos) {
    int rows = 0;
    double rationaleTokens = 0;
    int generated = 0;
    for (Chunk c : group) {
      rows += c.prepared().rows();
      rationaleTokens += c.prepared().meanRationaleTokens() * c.prepared().rows();
      generated += c.prepared().generatedRationales();
    }
    return new StepLosses(
        total, lm, contrastive, rationaleTokens / rows, 0, nanos, rows, generated, 1);
  }

  /**
   * {@code x} on {@code scope}'s device, owned by {@code scope} (the phases that call this run with
   * autograd off, so it carries no graph).
   */
  private static NDArray toScope(NDArray x, NDManager scope) {
    NDArray copy = x.toDevice(scope.getDevice(), true);
    copy.attach(scope);
    return copy;
  }

  private static NDArray concat(List<NDArray> parts) {
    return parts.size() == 1 ? parts.get(0) : NDArrays.concat(new NDList(parts), 0);
  }
}
