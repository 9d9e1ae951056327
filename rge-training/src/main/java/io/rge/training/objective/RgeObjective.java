package io.rge.training.objective;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import io.rge.core.MultimodalInput;
import io.rge.core.RgeModel;
import io.rge.core.generation.GeneratedQuery;
import io.rge.core.generation.GenerationRequest;
import io.rge.core.image.ImageGrid;
import io.rge.core.image.ProcessedImage;
import io.rge.core.prompt.PromptTokens;
import io.rge.core.prompt.QwenChatPrompts;
import io.rge.core.qwen25vl.Scalars;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The joint RGE objective for one batch of N query/target pairs — the one place to read to
 * understand the method. A step runs four phases, in this order:
 *
 * <ol>
 *   <li>{@link #oracleSequences oracle sequences} (rge, oracle-leak): each query with an oracle
 *       rationale, tokenised as prompt + rationale + {@code <emb>} with labels on the rationale and
 *       {@code <emb>};
 *   <li>{@link #queryRationales query rationales}: the token sequence each contrastive query is
 *       embedded from — prompt + a rationale the current model generates on the fly, without
 *       gradient (rge); prompt alone (baseline); prompt + the oracle rationale (oracle-leak, which
 *       leaks the answer);
 *   <li>{@link #passes passes}: the {@link TokenPosition.Pass#ORACLE oracle pass} (teacher-forced
 *       oracle sequences) and the {@link TokenPosition.Pass#EMBEDDING embedding pass} (queries,
 *       then targets and hard negatives as prompt + {@code <emb>}), with where each embedding is
 *       read;
 *   <li>{@link #lossAndGradient InfoNCE + LM}: both passes forward <em>with</em> gradient; LM =
 *       mean next-token cross-entropy over the labelled positions; {@link ObjectiveLoss#infoNce
 *       InfoNCE} = cross-entropy of {@code cos(q_i, c_j) / τ} over all candidates against {@code j
 *       = i}; total = {@code w_lm · LM + w_cl · InfoNCE}.
 * </ol>
 *
 * <p>In rge mode the contrastive forward pass never sees the oracle text (its queries are in the
 * embedding pass, after generated rationales), so oracle rationales can only shape the embeddings
 * through what the model learns to write.
 *
 * <p>Two entry points share the last phase: the text level ({@link TrainExample}s, all four phases)
 * and the token level ({@link TokenBatch}, e.g. a parity fixture's own ids). At the token level
 * only the settings' weights and τ are read.
 */
public final class RgeObjective {
  private static final Logger LOG = LoggerFactory.getLogger(RgeObjective.class);
  private final RgeModel model;
  private final QwenChatPrompts prompts;
  private boolean leakWarned;

  public RgeObjective(RgeModel model) {
    this.model = model;
    this.prompts = model.prompts();
  }

  /**
   * Computes the losses of {@code batch} and adds the gradient of {@code lossScale · total} to the
   * model weights' gradients (accumulated; the caller clears them after the optimizer step). A
   * non-finite loss adds nothing.
   */
  public StepLosses accumulateGradients(
      List<TrainExample> batch, ObjectiveSettings settings, double lossScale) {
    PreparedBatch prepared = prepare(batch, settings);
    return prepared.losses(lossAndGradient(prepared.tokens(), settings, lossScale, true));
  }

  /**
   * Computes the losses of one optimizer step whose InfoNCE spans every row of its micro-batches
   * and adds the gradient of its total to the weights' gradients, one micro-batch's graph in memory
   * at a time ({@link GradCache}). Each query's rationale is generated once. A non-finite loss
   * stops the step part-way: the caller skips the update.
   *
   * @throws IllegalArgumentException without a contrastive term (an LM-only step has nothing to
   *     share across micro-batches: run them one by one)
   */
  public StepLosses accumulateStepGradients(
      List<List<TrainExample>> microBatches, ObjectiveSettings settings) {
    return accumulateStepGradients(microBatches, settings, 1);
  }

  /**
   * As {@link #accumulateStepGradients(List, ObjectiveSettings)}, adding the gradient of {@code
   * lossScale · total} (fp16's loss scale).
   */
  public StepLosses accumulateStepGradients(
      List<List<TrainExample>> microBatches, ObjectiveSettings settings, double lossScale) {
    if (!settings.hasContrastiveTerm()) {
      throw new IllegalArgumentException(
          "a step-wide contrastive batch needs a contrastive term (contrastive weight > 0)");
    }
    List<TokenBatch> tokens = new ArrayList<>(microBatches.size());
    double rationaleTokens = 0;
    long generationNanos = 0;
    int generated = 0;
    int rows = 0;
    for (List<TrainExample> batch : microBatches) {
      PreparedBatch p = prepare(batch, settings);
      tokens.add(p.tokens());
      rationaleTokens += p.meanRationaleTokens() * batch.size();
      generationNanos += p.generationNanos();
      generated += p.generatedRationales();
      rows += batch.size();
    }
    Outcome o = new GradCache(model).accumulate(tokens, settings, lossScale);
    return new StepLosses(
        o.total(),
        o.lm(),
        o.contrastive(),
        rationaleTokens / rows,
        generationNanos,
        o.nanos(),
        rows,
        generated);
  }

  /** Computes the losses of {@code batch} without touching gradients. */
  public StepLosses evaluate(List<TrainExample> batch, ObjectiveSettings settings) {
    PreparedBatch prepared = prepare(batch, settings);
    return prepared.losses(lossAndGradient(prepared.tokens(), settings, 0, false));
  }

  /**
   * Computes the losses of a token-level step and adds the gradient of {@code lossScale · total} to
   * the model weights' gradients (accumulated); a non-finite loss adds nothing.
   */
  public StepLosses accumulateGradients(
      TokenBatch batch, ObjectiveSettings settings, double lossScale) {
    return PreparedBatch.given(batch).losses(lossAndGradient(batch, settings, lossScale, true));
  }

  /** Computes the losses of a token-level step without touching gradients. */
  public StepLosses evaluate(TokenBatch batch, ObjectiveSettings settings) {
    return PreparedBatch.given(batch).losses(lossAndGradient(batch, settings, 0, false));
  }

  /**
   * The first three phases: the token sequences of both passes and where the embeddings are read,
   * generating the queries' rationales on the way (rge mode).
   *
   * @throws IllegalStateException when the step has nothing to optimise (no LM term and no
   *     contrastive term)
   */
  public PreparedBatch prepare(List<TrainExample> batch, ObjectiveSettings s) {
    if (batch.isEmpty()) {
      throw new IllegalArgumentException("empty batch");
    }
    if (s.mode() == ObjectiveMode.ORACLE_LEAK && !leakWarned) {
      LOG.warn(
          "objective mode oracle-leak: contrastive queries see the oracle rationale, which leaks"
              + " the answer into the query (an ablation; RGE itself never does this)");
      leakWarned = true;
    }
    List<ProcessedImage> images = new ArrayList<>(batch.size());
    for (TrainExample e : batch) {
      images.add(process(e.query()));
    }
    PromptTokens[] oracle = oracleSequences(batch, images, s);
    QueryRationales rationales = queryRationales(batch, images, oracle, s);
    TokenBatch tokens = passes(batch, images, oracle, rationales.sequences(), s);
    if (!tokens.hasLabels() && tokens.queries().isEmpty()) {
      throw new IllegalStateException(
          "nothing to optimise: no LM term (no oracle rationales or mode "
              + s.mode().id()
              + ") and contrastive weight 0");
    }
    double meanRationale =
        s.hasContrastiveTerm() && s.mode() != ObjectiveMode.BASELINE
            ? rationales.tokens() / batch.size()
            : 0;
    return new PreparedBatch(tokens, meanRationale, rationales.nanos(), rationales.generated());
  }

  /**
   * Phase 1: each query with its oracle rationale — the LM term's sequence, and in oracle-leak mode
   * also the contrastive query; tokenised once for both. Null where a row has no rationale or
   * neither use needs it.
   */
  private PromptTokens[] oracleSequences(
      List<TrainExample> batch, List<ProcessedImage> images, ObjectiveSettings s) {
    PromptTokens[] withOracle = new PromptTokens[batch.size()];
    boolean leakQueries = s.hasContrastiveTerm() && s.mode() == ObjectiveMode.ORACLE_LEAK;
    if (!s.hasLmTerm() && !leakQueries) {
      return withOracle;
    }
    for (int i = 0; i < batch.size(); i++) {
      String rationale = batch.get(i).oracleRationale();
      if (rationale != null) {
        withOracle[i] =
            prompts.queryWithRationale(
                batch.get(i).query().promptText(), grid(images.get(i)), rationale);
      }
    }
    return withOracle;
  }

  /** What phase 2 wrote: each contrastive query's ids, null for all without a contrastive term. */
  private record QueryRationales(int[][] sequences, double tokens, long nanos, int generated) {}

  /**
   * Phase 2: each contrastive query's token sequence, ending in {@code <emb>}. Rationales are
   * generated without gradient, before any pass that records one, in one batched call.
   */
  private QueryRationales queryRationales(
      List<TrainExample> batch,
      List<ProcessedImage> images,
      PromptTokens[] withOracle,
      ObjectiveSettings s) {
    int n = batch.size();
    int[][] sequences = new int[n][];
    if (!s.hasContrastiveTerm()) {
      return new QueryRationales(sequences, 0, 0, 0);
    }
    long start = System.nanoTime();
    double rationaleTokens = 0;
    List<GenerationRequest> requests = new ArrayList<>();
    List<Integer> generatedRows = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      String text = batch.get(i).query().promptText();
      ImageGrid grid = grid(images.get(i));
      if (s.mode() == ObjectiveMode.BASELINE) {
        sequences[i] = prompts.candidate(text, grid).ids();
      } else if (s.mode() == ObjectiveMode.ORACLE_LEAK && withOracle[i] != null) {
        PromptTokens p = withOracle[i];
        sequences[i] = p.ids();
        rationaleTokens += p.length() - p.labelStart() - 1;
      } else {
        generatedRows.add(i);
        PromptTokens p = prompts.queryForGeneration(text, grid);
        requests.add(new GenerationRequest(p.ids(), images(images.get(i))));
      }
    }
    if (!requests.isEmpty()) {
      List<GeneratedQuery> generated = model.generate(requests, s.generation());
      for (int k = 0; k < generated.size(); k++) {
        int[] prompt = requests.get(k).promptIds();
        int[] tokens = generated.get(k).tokens();
        int[] sequence = Arrays.copyOf(prompt, prompt.length + tokens.length);
        System.arraycopy(tokens, 0, sequence, prompt.length, tokens.length);
        sequences[generatedRows.get(k)] = sequence;
        rationaleTokens += tokens.length - 1;
      }
    }
    return new QueryRationales(
        sequences, rationaleTokens, System.nanoTime() - start, requests.size());
  }

  /**
   * Phase 3: the oracle pass (oracle sequences, teacher-forced: the LM term, and the queries in
   * oracle-leak mode) and the embedding pass (the other contrastive queries, then targets, then
   * hard negatives), with where each query and candidate embedding is read.
   */
  private TokenBatch passes(
      List<TrainExample> batch,
      List<ProcessedImage> images,
      PromptTokens[] withOracle,
      int[][] querySequences,
      ObjectiveSettings s) {
    int n = batch.size();
    List<TokenSequence> oracle = new ArrayList<>();
    int[] oracleRowOf = new int[n];
    Arrays.fill(oracleRowOf, -1);
    if (s.hasLmTerm()) {
      for (int i = 0; i < n; i++) {
        PromptTokens p = withOracle[i];
        if (p != null) {
          oracleRowOf[i] = oracle.size();
          oracle.add(new TokenSequence(p.ids(), p.labels(), images(images.get(i))));
        }
      }
    }
    List<TokenSequence> embedding = new ArrayList<>();
    List<TokenPosition> queries = new ArrayList<>();
    List<TokenPosition> candidates = new ArrayList<>();
    if (s.hasContrastiveTerm()) {
      for (int i = 0; i < n; i++) {
        if (s.mode() == ObjectiveMode.ORACLE_LEAK && oracleRowOf[i] >= 0) {
          int row = oracleRowOf[i];
          queries.add(TokenPosition.oracle(row, oracle.get(row).length() - 1));
        } else {
          queries.add(embedAtEnd(embedding, querySequences[i], images.get(i)));
        }
      }
      for (TrainExample e : batch) {
        candidates.add(addCandidate(embedding, e.target()));
      }
      if (s.hardNegatives()) {
        for (TrainExample e : batch) {
          for (MultimodalInput negative : e.hardNegatives()) {
            candidates.add(addCandidate(embedding, negative));
          }
        }
      }
    }
    return new TokenBatch(oracle, embedding, queries, candidates);
  }

  /**
   * Phase 4, shared by both entry points: both passes forward, InfoNCE + LM, the weighted total and
   * (when {@code backward}) the gradient of {@code lossScale · total}.
   */
  private Outcome lossAndGradient(
      TokenBatch batch, ObjectiveSettings w, double lossScale, boolean backward) {
    long start = System.nanoTime();
    try (NDManager scope = model.manager().newSubManager();
        GradientCollector collector =
            backward ? Engine.getInstance().newGradientCollector() : null) {
      ObjectiveLoss.Terms terms =
          ObjectiveLoss.compute(
              scope, model.network(), model.tokenizer().padId(), batch, w.temperature());
      NDArray total =
          terms.lm() == null ? null : terms.lm().mul(Scalars.constant(scope, (float) w.lmWeight()));
      if (terms.contrastive() != null) {
        NDArray weighted =
            terms.contrastive().mul(Scalars.constant(scope, (float) w.contrastiveWeight()));
        total = total == null ? weighted : total.add(weighted);
      }
      if (total == null) {
        throw new IllegalStateException(
            "nothing to optimise: the batch has no labelled position and no query");
      }
      double totalValue = total.getFloat();
      if (backward && Double.isFinite(totalValue)) {
        model.network().backward(collector, total.mul(Scalars.constant(scope, (float) lossScale)));
      }
      return new Outcome(
          totalValue,
          terms.lm() == null ? Double.NaN : terms.lm().getFloat(),
          terms.contrastive() == null ? Double.NaN : terms.contrastive().getFloat(),
          System.nanoTime() - start);
    }
  }

  /** The losses of one computation and its forward/backward time. */
  record Outcome(double total, double lm, double contrastive, long nanos) {}

  private static TokenPosition embedAtEnd(
      List<TokenSequence> pass, int[] ids, ProcessedImage image) {
    pass.add(TokenSequence.unlabelled(ids, images(image)));
    return TokenPosition.embedding(pass.size() - 1, ids.length - 1);
  }

  private TokenPosition addCandidate(List<TokenSequence> pass, MultimodalInput candidate) {
    ProcessedImage image = process(candidate);
    return embedAtEnd(pass, prompts.candidate(candidate.promptText(), grid(image)).ids(), image);
  }

  private ProcessedImage process(MultimodalInput in) {
    return in.image() == null ? null : model.imageProcessor().process(in.image());
  }

  private static ImageGrid grid(ProcessedImage image) {
    return image == null ? null : image.grid();
  }

  private static List<ProcessedImage> images(ProcessedImage image) {
    return image == null ? List.of() : List.of(image);
  }
}
