package io.rge.training.parallel;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import io.rge.core.RgeModel;
import io.rge.core.qwen25vl.Scalars;
import io.rge.training.objective.ObjectiveLoss;
import io.rge.training.objective.ObjectiveMode;
import io.rge.training.objective.ObjectiveSettings;
import io.rge.training.objective.PreparedBatch;
import io.rge.training.objective.RgeObjective;
import io.rge.training.objective.StepLosses;
import io.rge.training.objective.TokenBatch;
import io.rge.training.objective.TokenSequence;
import io.rge.training.objective.TrainExample;
import java.util.ArrayList;
import java.util.List;

/**
 * The RGE objective of one optimizer step with every micro-batch split across {@link Replicas}: the
 * lead's gradients end up those of one model on all the rows (GradCache, Gao et al. 2021, across
 * devices instead of across micro-batches of one device).
 *
 * <ol>
 *   <li>each replica prepares its contiguous slice of each micro-batch on its own thread,
 *       generating its own queries' rationales (rge mode): once per query;
 *   <li>each replica embeds its slices without a graph; the embeddings are copied to the lead;
 *   <li>the lead computes InfoNCE over every replica's rows — query {@code i}'s negatives are every
 *       other row's target and every hard negative, copies of its own positive masked — and its
 *       gradient with respect to each embedding;
 *   <li>each replica runs its slices again with a graph and backpropagates {@code Σ embedding · its
 *       gradient slice + w_lm · L_k / L · LM_k}, {@code L_k} of the group's {@code L} labelled
 *       positions being the slice's, so the LM term is the mean over all rows' tokens;
 *   <li>the copies' gradients are summed onto the lead's.
 * </ol>
 *
 * <p>The rows sharing one InfoNCE (a group) are those of the whole step with {@code
 * contrastive_batch: step}, else those of one micro-batch, whose loss is then scaled by 1/k as when
 * one device accumulates k micro-batches. An LM-only step skips phases 2 and 3. Rows are split so
 * that the concatenation of the replicas' slices is the micro-batch in its order: the candidates'
 * order, and so the arithmetic, is the single-device run's.
 */
public final class DataParallelObjective {
  private final Replicas replicas;
  private final List<RgeObjective> objectives = new ArrayList<>();

  public DataParallelObjective(Replicas replicas) {
    this.replicas = replicas;
    for (int r = 0; r < replicas.size(); r++) {
      objectives.add(new RgeObjective(replicas.model(r)));
    }
  }

  /** One replica's prepared slice of one micro-batch. */
  private record Chunk(int replica, PreparedBatch prepared, int rows) {
    TokenBatch tokens() {
      return prepared.tokens();
    }
  }

  /** A chunk's embeddings from phase 2, on the lead's device. */
  private record Cached(NDArray queries, NDArray targets, NDArray negatives) {}

  /**
   * Adds the gradient of the step's objective to the lead's weight gradients (the copies' are
   * summed onto it and cleared).
   *
   * @param microBatches the step's examples, micro-batch by micro-batch; each has at least as many
   *     rows as there are replicas
   * @param stepWide one InfoNCE over every row of the step; else one per micro-batch (loss scale
   *     1/k)
   * @return the losses of each group that had something to optimise, in order, stopping after the
   *     first non-finite one (the caller then skips the update)
   */
  public List<StepLosses> accumulate(
      List<List<TrainExample>> microBatches, ObjectiveSettings s, boolean stepWide) {
    int n = replicas.size();
    for (List<TrainExample> batch : microBatches) {
      if (batch.size() < n) {
        throw new IllegalArgumentException(
            "a micro-batch of " + batch.size() + " rows cannot be split across " + n + " replicas");
      }
    }
    long start = System.nanoTime();
    List<List<Chunk>> prepared =
        replicas.onEach(
            r -> {
              List<Chunk> out = new ArrayList<>();
              for (List<TrainExample> batch : microBatches) {
                List<TrainExample> slice = slice(batch, r, n);
                out.add(
                    contributes(slice, s)
                        ? new Chunk(r, objectives.get(r).prepare(slice, s), slice.size())
                        : null);
              }
              return out;
            });
    long generationNanos = System.nanoTime() - start;
    requireOneRationalePerQuery(microBatches, prepared, s);

    List<List<Chunk>> groups = new ArrayList<>();
    for (int k = 0; k < microBatches.size(); k++) {
      if (k == 0 || !stepWide) {
        groups.add(new ArrayList<>());
      }
      for (int r = 0; r < n; r++) {
        Chunk c = prepared.get(r).get(k);
        if (c != null) {
          groups.get(groups.size() - 1).add(c);
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
        StepLosses l = runGroup(group, s, scale, losses.isEmpty() ? generationNanos : 0);
        losses.add(l);
        if (!l.isFinite()) {
          break;
        }
      }
    } finally {
      replicas.reduceGradients();
    }
    return losses;
  }

  /** Replica {@code r}'s contiguous share of {@code batch} (sizes differ by at most one). */
  static <T> List<T> slice(List<T> batch, int r, int replicas) {
    int size = batch.size();
    return batch.subList(size * r / replicas, size * (r + 1) / replicas);
  }

  /** Whether a slice enters the step: always with a contrastive term, else with an LM label. */
  private static boolean contributes(List<TrainExample> slice, ObjectiveSettings s) {
    return s.hasContrastiveTerm()
        || (s.hasLmTerm() && slice.stream().anyMatch(e -> e.oracleRationale() != null));
  }

  /**
   * Each query that needs a generated rationale got exactly one: rge mode generates for every
   * query, oracle-leak for those without an oracle rationale, the baseline and LM-only steps none.
   */
  private static void requireOneRationalePerQuery(
      List<List<TrainExample>> microBatches, List<List<Chunk>> prepared, ObjectiveSettings s) {
    long expected = 0;
    if (s.hasContrastiveTerm()) {
      for (List<TrainExample> batch : microBatches) {
        for (TrainExample e : batch) {
          boolean generates =
              s.mode() == ObjectiveMode.RGE
                  || (s.mode() == ObjectiveMode.ORACLE_LEAK && e.oracleRationale() == null);
          expected += generates ? 1 : 0;
        }
      }
    }
    long generated = 0;
    for (List<Chunk> chunks : prepared) {
      for (Chunk c : chunks) {
        generated += c == null ? 0 : c.prepared().generatedRationales();
      }
    }
    if (generated != expected) {
      throw new IllegalStateException(
          "the replicas generated " + generated + " rationales for " + expected + " queries");
    }
  }

  /** Phases 2 to 4 over one group's chunks. */
  private StepLosses runGroup(
      List<Chunk> group, ObjectiveSettings s, double scale, long generationNanos) {
    long start = System.nanoTime();
    int labelled = 0;
    int rows = 0;
    double rationaleTokens = 0;
    int generated = 0;
    for (Chunk c : group) {
      labelled += c.tokens().labelledPositions();
      rows += c.rows();
      rationaleTokens += c.prepared().meanRationaleTokens() * c.rows();
      generated += c.prepared().generatedRationales();
    }
    RgeModel lead = replicas.model(0);
    try (NDManager scope = lead.manager().newSubManager()) {
      double contrastive = Double.NaN;
      List<NDArray[]> gradients = new ArrayList<>(); // per chunk: [dq, dc], on the lead
      if (s.hasContrastiveTerm()) {
        List<Cached> cached = embed(group, scope);
        contrastive = contrastiveGradients(group, cached, s, scale, scope, gradients);
      }
      double lm = Double.NaN;
      double total = contrastive; // a non-finite InfoNCE: no recomputation, the step is skipped
      if (!s.hasContrastiveTerm() || Double.isFinite(contrastive)) {
        double[] lms = recompute(group, gradients, s, scale, labelled);
        double lmSum = 0; // a non-finite slice makes the sum, and so the step, non-finite
        for (int i = 0; i < group.size(); i++) {
          int positions = group.get(i).tokens().labelledPositions();
          lmSum += positions == 0 ? 0 : lms[i] * positions;
        }
        lm = labelled == 0 ? Double.NaN : lmSum / labelled;
        total =
            (labelled == 0 ? 0 : s.lmWeight() * lm)
                + (s.hasContrastiveTerm() ? s.contrastiveWeight() * contrastive : 0);
      }
      return new StepLosses(
          total,
          lm,
          contrastive,
          rationaleTokens / rows,
          generationNanos,
          System.nanoTime() - start,
          rows,
          generated);
    }
  }

  /** Phase 2: each chunk's embeddings, without a graph, copied to the lead's device. */
  private List<Cached> embed(List<Chunk> group, NDManager leadScope) {
    Device leadDevice = replicas.model(0).device();
    List<List<Cached>> perReplica =
        replicas.onEach(
            r -> {
              RgeModel m = replicas.model(r);
              List<Cached> out = new ArrayList<>();
              for (Chunk c : group) {
                if (c.replica() != r) {
                  continue;
                }
                try (NDManager scope = m.manager().newSubManager()) {
                  ObjectiveLoss.Passes p =
                      ObjectiveLoss.forward(scope, m.network(), m.tokenizer().padId(), c.tokens());
                  int bn = c.tokens().queries().size();
                  int bm = c.tokens().candidates().size();
                  out.add(
                      new Cached(
                          toLead(p.queries(), leadDevice, leadScope), // [bn, hidden]
                          toLead(p.candidates().get("0:" + bn), leadDevice, leadScope),
                          toLead(p.candidates().get(bn + ":" + bm), leadDevice, leadScope)));
                }
              }
              return out;
            });
    List<Cached> ordered = new ArrayList<>();
    int[] next = new int[replicas.size()];
    for (Chunk c : group) {
      ordered.add(perReplica.get(c.replica()).get(next[c.replica()]++));
    }
    return ordered;
  }

  private static NDArray toLead(NDArray x, Device lead, NDManager leadScope) {
    NDArray copy = x.toDevice(lead, true);
    copy.attach(leadScope);
    return copy;
  }

  /**
   * Phase 3: InfoNCE over the group on the lead, and its gradient (times {@code w_cl · scale}) with
   * respect to each chunk's query and candidate embeddings, added to {@code gradients}.
   *
   * @return the InfoNCE value
   */
  private static double contrastiveGradients(
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
    NDArray q = NDArrays.concat(new NDList(queries), 0); // [N, hidden]
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
      NDArray chunkQueries = dq.get(queryOffset + ":" + (queryOffset + bn));
      NDArray chunkCandidates =
          NDArrays.concat(
              new NDList(
                  dc.get(queryOffset + ":" + (queryOffset + bn)),
                  dc.get(negativeOffset + ":" + (negativeOffset + negatives))),
              0);
      gradients.add(new NDArray[] {chunkQueries, chunkCandidates});
      queryOffset += bn;
      negativeOffset += negatives;
    }
    return contrastive;
  }

  /**
   * Phase 4: every chunk forward again with a graph on its replica, and backward of its embeddings'
   * cached gradients plus its share of the LM term.
   *
   * @return each chunk's LM value (NaN without labels); a non-finite one adds no gradient
   */
  private double[] recompute(
      List<Chunk> group,
      List<NDArray[]> gradients,
      ObjectiveSettings s,
      double scale,
      int labelled) {
    List<double[]> perReplica =
        replicas.onEach(
            r -> {
              RgeModel m = replicas.model(r);
              double[] lms = new double[group.size()];
              for (int i = 0; i < group.size(); i++) {
                Chunk c = group.get(i);
                lms[i] = Double.NaN;
                if (c.replica() != r) {
                  continue;
                }
                try (NDManager scope = m.manager().newSubManager();
                    ThreadGradients collector = new ThreadGradients()) {
                  ObjectiveLoss.Passes p =
                      ObjectiveLoss.forward(scope, m.network(), m.tokenizer().padId(), c.tokens());
                  NDArray surrogate = null;
                  if (!gradients.isEmpty()) {
                    NDArray dq = gradients.get(i)[0].toDevice(m.device(), true);
                    NDArray dc = gradients.get(i)[1].toDevice(m.device(), true);
                    dq.attach(scope);
                    dc.attach(scope);
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
                    m.network().backward(collector, surrogate);
                  }
                }
              }
              return lms;
            });
    double[] lms = new double[group.size()];
    for (int i = 0; i < group.size(); i++) {
      lms[i] = perReplica.get(group.get(i).replica())[i];
    }
    return lms;
  }
}
