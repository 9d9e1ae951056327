package io.rge.training.objective;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import io.rge.core.MultimodalInput;
import io.rge.core.RgeModel;
import io.rge.core.generation.GeneratedQuery;
import io.rge.core.generation.GenerationRequest;
import io.rge.core.generation.GenerationSettings;
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
 * understand the method.
 *
 * <ol>
 *   <li><b>LM term</b> (rge, oracle-leak): each query with an oracle rationale is teacher-forced as
 *       prompt + rationale + {@code <emb>}; mean next-token cross-entropy over the rationale and
 *       {@code <emb>}.
 *   <li><b>Contrastive term</b>: queries are embedded at {@code <emb>} — after a rationale the
 *       current model generates on the fly without gradient (rge), after no rationale (baseline),
 *       or after the oracle rationale (oracle-leak, which leaks the answer) — and run forward
 *       <em>with</em> gradient; targets and hard negatives are embedded as prompt + {@code <emb>}.
 *       InfoNCE: cross-entropy of {@code cos(q_i, t_j) / τ} over all targets (and negatives)
 *       against {@code j = i}.
 *   <li><b>Total</b> = {@code w_lm · LM + w_cl · contrastive}.
 * </ol>
 *
 * <p>In rge mode the contrastive forward pass never sees the oracle text (it is a separate pass
 * over generated rationales), so oracle rationales can only shape the embeddings through what the
 * model learns to write.
 *
 * <p>Two entry points share one loss computation: the text level ({@link TrainExample}s, which
 * builds the token sequences of both passes, generating rationales first) and the token level
 * ({@link TokenBatch}, e.g. a parity fixture's own ids).
 */
public final class RgeObjective {
  private static final Logger LOG = LoggerFactory.getLogger(RgeObjective.class);
  private final RgeModel model;
  private final QwenChatPrompts prompts;
  private float[][] lastQueryEmbeddings = new float[0][];
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
    return run(batch, settings, lossScale, true);
  }

  /** Computes the losses of {@code batch} without touching gradients. */
  public StepLosses evaluate(List<TrainExample> batch, ObjectiveSettings settings) {
    return run(batch, settings, 0, false);
  }

  /**
   * Computes the losses of a token-level step and adds the gradient of {@code lossScale · total} to
   * the model weights' gradients (accumulated); a non-finite loss adds nothing.
   */
  public StepLosses accumulateGradients(TokenBatch batch, LossWeights weights, double lossScale) {
    Outcome o = compute(batch, weights, lossScale, true);
    return new StepLosses(o.total, o.lm, o.contrastive, 0, 0, o.nanos, batch.queries().size());
  }

  /** Computes the losses of a token-level step without touching gradients. */
  public StepLosses evaluate(TokenBatch batch, LossWeights weights) {
    Outcome o = compute(batch, weights, 0, false);
    return new StepLosses(o.total, o.lm, o.contrastive, 0, 0, o.nanos, batch.queries().size());
  }

  private StepLosses run(
      List<TrainExample> batch, ObjectiveSettings s, double lossScale, boolean backward) {
    if (batch.isEmpty()) {
      throw new IllegalArgumentException("empty batch");
    }
    if (s.mode() == ObjectiveMode.ORACLE_LEAK && !leakWarned) {
      LOG.warn(
          "objective mode oracle-leak: contrastive queries see the oracle rationale, which leaks"
              + " the answer into the query (an ablation; RGE itself never does this)");
      leakWarned = true;
    }
    int n = batch.size();
    List<ProcessedImage> queryImages = new ArrayList<>(n);
    List<String> queryTexts = new ArrayList<>(n);
    for (TrainExample e : batch) {
      queryImages.add(process(e.query()));
      queryTexts.add(e.query().promptText());
    }
    boolean lmTerm = s.hasLmTerm();
    boolean contrastiveTerm = s.contrastiveWeight() > 0;
    boolean leak = s.mode() == ObjectiveMode.ORACLE_LEAK;
    // The query with its oracle rationale: the LM term's sequence, and in oracle-leak mode also the
    // contrastive query; tokenised once for both.
    PromptTokens[] withOracle = new PromptTokens[n];
    if (lmTerm || (contrastiveTerm && leak)) {
      for (int i = 0; i < n; i++) {
        String rationale = batch.get(i).oracleRationale();
        if (rationale != null) {
          withOracle[i] =
              prompts.queryWithRationale(queryTexts.get(i), grid(queryImages.get(i)), rationale);
        }
      }
    }

    // Rationales for the contrastive queries: generated without gradient, before any pass that
    // records one.
    long generationStart = System.nanoTime();
    List<int[]> querySequences = new ArrayList<>(n);
    double rationaleTokens = 0;
    if (contrastiveTerm) {
      List<GenerationRequest> requests = new ArrayList<>();
      List<Integer> generatedRows = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        ImageGrid grid = grid(queryImages.get(i));
        if (s.mode() == ObjectiveMode.BASELINE) {
          querySequences.add(prompts.candidate(queryTexts.get(i), grid).ids());
        } else if (leak && withOracle[i] != null) {
          PromptTokens p = withOracle[i];
          querySequences.add(p.ids());
          rationaleTokens += p.length() - p.labelStart() - 1;
        } else {
          querySequences.add(null);
          generatedRows.add(i);
          PromptTokens p = prompts.queryForGeneration(queryTexts.get(i), grid);
          requests.add(new GenerationRequest(p.ids(), images(queryImages.get(i))));
        }
      }
      if (!requests.isEmpty()) {
        List<GeneratedQuery> generated =
            model.generate(
                requests, GenerationSettings.greedy(s.maxNewTokens(), s.generationBatchSize()));
        for (int k = 0; k < generated.size(); k++) {
          int[] prompt = requests.get(k).promptIds();
          int[] tokens = generated.get(k).tokens();
          int[] sequence = Arrays.copyOf(prompt, prompt.length + tokens.length);
          System.arraycopy(tokens, 0, sequence, prompt.length, tokens.length);
          querySequences.set(generatedRows.get(k), sequence);
          rationaleTokens += tokens.length - 1;
        }
      }
    }
    long generationNanos = System.nanoTime() - generationStart;

    // Pass 0: oracle sequences, teacher-forced (the LM term; also the queries in oracle-leak
    // mode). Pass 1: the other contrastive queries, then targets and hard negatives.
    List<TokenSequence> oracle = new ArrayList<>();
    List<TokenSequence> contrast = new ArrayList<>();
    int[] oracleRowOf = new int[n];
    Arrays.fill(oracleRowOf, -1);
    if (lmTerm) {
      for (int i = 0; i < n; i++) {
        PromptTokens p = withOracle[i];
        if (p != null) {
          oracleRowOf[i] = oracle.size();
          oracle.add(new TokenSequence(p.ids(), p.labels(), images(queryImages.get(i))));
        }
      }
    }
    List<TokenPosition> queries = new ArrayList<>();
    List<TokenPosition> candidates = new ArrayList<>();
    if (contrastiveTerm) {
      for (int i = 0; i < n; i++) {
        if (leak && oracleRowOf[i] >= 0) {
          queries.add(
              new TokenPosition(0, oracleRowOf[i], oracle.get(oracleRowOf[i]).length() - 1));
        } else {
          queries.add(embedAtEnd(contrast, querySequences.get(i), queryImages.get(i)));
        }
      }
      for (TrainExample e : batch) {
        candidates.add(addCandidate(contrast, e.target()));
      }
      if (s.hardNegatives()) {
        for (TrainExample e : batch) {
          for (MultimodalInput neg : e.hardNegatives()) {
            candidates.add(addCandidate(contrast, neg));
          }
        }
      }
    }
    TokenBatch tokens = new TokenBatch(List.of(oracle, contrast), queries, candidates);
    if (!tokens.hasLabels() && queries.isEmpty()) {
      throw new IllegalStateException(
          "nothing to optimise: no LM term (no oracle rationales or mode "
              + s.mode().id()
              + ") and contrastive weight 0");
    }
    Outcome o =
        compute(
            tokens,
            new LossWeights(s.lmWeight(), s.contrastiveWeight(), s.temperature()),
            lossScale,
            backward);
    double meanRationale =
        contrastiveTerm && s.mode() != ObjectiveMode.BASELINE ? rationaleTokens / n : 0;
    return new StepLosses(o.total, o.lm, o.contrastive, meanRationale, generationNanos, o.nanos, n);
  }

  /**
   * The one loss computation of both paths: forward passes, terms, total and (when {@code
   * backward}) the gradient of {@code lossScale · total}.
   */
  private Outcome compute(TokenBatch batch, LossWeights w, double lossScale, boolean backward) {
    long start = System.nanoTime();
    try (NDManager scope = model.manager().newSubManager();
        GradientCollector collector =
            backward ? Engine.getInstance().newGradientCollector() : null) {
      ObjectiveLoss.Terms terms =
          ObjectiveLoss.compute(
              scope, model.network(), model.tokenizer().padId(), batch, w.temperature());
      NDArray total =
          terms.lm() == null ? null : terms.lm().mul(Scalars.constant(scope, (float) w.lm()));
      if (terms.contrastive() != null) {
        NDArray weighted =
            terms.contrastive().mul(Scalars.constant(scope, (float) w.contrastive()));
        total = total == null ? weighted : total.add(weighted);
      }
      if (total == null) {
        throw new IllegalStateException(
            "nothing to optimise: the batch has no labelled position and no query");
      }
      if (!backward && terms.queries() != null) {
        lastQueryEmbeddings = toRows(terms.queries());
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

  private record Outcome(double total, double lm, double contrastive, long nanos) {}

  private static TokenPosition embedAtEnd(
      List<TokenSequence> pass, int[] ids, ProcessedImage image) {
    pass.add(TokenSequence.unlabelled(ids, images(image)));
    return new TokenPosition(1, pass.size() - 1, ids.length - 1);
  }

  private TokenPosition addCandidate(List<TokenSequence> pass, MultimodalInput candidate) {
    ProcessedImage image = process(candidate);
    return embedAtEnd(pass, prompts.candidate(candidate.promptText(), grid(image)).ids(), image);
  }

  private static float[][] toRows(NDArray x) {
    int rows = (int) x.getShape().get(0);
    int width = (int) x.getShape().get(1);
    float[] all = x.toFloatArray();
    float[][] out = new float[rows][];
    for (int r = 0; r < rows; r++) {
      out[r] = Arrays.copyOfRange(all, r * width, (r + 1) * width);
    }
    return out;
  }

  /**
   * The normalised contrastive query embeddings of the last {@code evaluate} call, row per example
   * (training calls skip the device-to-host copy).
   */
  float[][] lastQueryEmbeddings() {
    return lastQueryEmbeddings;
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
