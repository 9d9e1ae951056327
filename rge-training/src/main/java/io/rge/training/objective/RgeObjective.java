package io.rge.training.objective;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import io.rge.core.MultimodalInput;
import io.rge.core.RgeModel;
import io.rge.core.generation.GeneratedQuery;
import io.rge.core.generation.GenerationRequest;
import io.rge.core.generation.GenerationSettings;
import io.rge.core.image.ProcessedImage;
import io.rge.core.prompt.PromptTokens;
import io.rge.core.prompt.QwenChatPrompts;
import io.rge.core.qwen25vl.ModelOutput;
import io.rge.core.qwen25vl.OutputRequest;
import java.util.ArrayList;
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
 */
public final class RgeObjective {
  private static final Logger LOG = LoggerFactory.getLogger(RgeObjective.class);
  private final RgeModel model;
  private final QwenChatPrompts prompts;
  private float[][] lastQueryEmbeddings = new float[0][];
  private boolean leakWarned;
  private final java.util.Set<Integer> visionTokens;
  private long droppedVisionTokens;

  public RgeObjective(RgeModel model) {
    this.model = model;
    this.prompts = model.prompts();
    var ids = model.config().tokens();
    this.visionTokens =
        java.util.Set.of(
            ids.visionStart(), ids.visionEnd(), ids.visionPad(), ids.imagePad(), ids.videoPad());
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
    boolean lmTerm = s.mode() != ObjectiveMode.BASELINE && s.lmWeight() > 0;
    boolean contrastiveTerm = s.contrastiveWeight() > 0;

    // Rationales for the contrastive queries: generated without gradient, before any pass that
    // records one.
    long generationStart = System.nanoTime();
    List<int[]> querySequences = new ArrayList<>(n);
    double rationaleTokens = 0;
    List<Integer> generatedRows = new ArrayList<>();
    if (contrastiveTerm) {
      List<GenerationRequest> requests = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        TrainExample e = batch.get(i);
        boolean useOracle = s.mode() == ObjectiveMode.ORACLE_LEAK && e.oracleRationale() != null;
        if (s.mode() == ObjectiveMode.BASELINE) {
          querySequences.add(prompts.candidate(queryTexts.get(i), grid(queryImages.get(i))).ids());
        } else if (useOracle) {
          PromptTokens p =
              prompts.queryWithRationale(
                  queryTexts.get(i), grid(queryImages.get(i)), e.oracleRationale());
          querySequences.add(p.ids());
          rationaleTokens += p.length() - p.labelStart() - 1;
        } else {
          querySequences.add(null);
          generatedRows.add(i);
          PromptTokens p = prompts.queryForGeneration(queryTexts.get(i), grid(queryImages.get(i)));
          requests.add(new GenerationRequest(p.ids(), images(queryImages.get(i))));
        }
      }
      if (!requests.isEmpty()) {
        List<GeneratedQuery> generated =
            model.generate(
                requests, GenerationSettings.greedy(s.maxNewTokens(), s.generationBatchSize()));
        for (int k = 0; k < generated.size(); k++) {
          int[] prompt = requests.get(k).promptIds();
          int[] tokens = withoutVisionTokens(generated.get(k).tokens());
          int[] sequence = java.util.Arrays.copyOf(prompt, prompt.length + tokens.length);
          System.arraycopy(tokens, 0, sequence, prompt.length, tokens.length);
          querySequences.set(generatedRows.get(k), sequence);
          rationaleTokens += tokens.length - 1;
        }
      }
    }
    long generationNanos = System.nanoTime() - generationStart;

    long forwardStart = System.nanoTime();
    try (NDManager scope = model.manager().newSubManager();
        GradientCollector collector =
            backward ? Engine.getInstance().newGradientCollector() : null) {
      NDArray lm = null;
      NDArray contrastive = null;
      // Pass 1: oracle sequences (LM term; also the queries in oracle-leak mode).
      SequenceBatch oracle = new SequenceBatch();
      List<int[]> lmPairs = new ArrayList<>();
      List<Integer> lmLabels = new ArrayList<>();
      int[] oracleRowOf = new int[n];
      java.util.Arrays.fill(oracleRowOf, -1);
      if (lmTerm) {
        for (int i = 0; i < n; i++) {
          TrainExample e = batch.get(i);
          if (e.oracleRationale() == null) {
            continue;
          }
          PromptTokens p =
              prompts.queryWithRationale(
                  queryTexts.get(i), grid(queryImages.get(i)), e.oracleRationale());
          int row = oracle.add(p.ids(), queryImages.get(i));
          oracleRowOf[i] = row;
          // Position t-1 predicts the labelled token at t.
          for (int t = p.labelStart(); t < p.length(); t++) {
            lmPairs.add(new int[] {row, t - 1});
            lmLabels.add(p.id(t));
          }
        }
      }
      boolean leakQueries = contrastiveTerm && s.mode() == ObjectiveMode.ORACLE_LEAK;
      List<int[]> leakEmbPairs = new ArrayList<>();
      if (leakQueries && !oracle.isEmpty()) {
        for (int i = 0; i < n; i++) {
          if (oracleRowOf[i] >= 0) {
            leakEmbPairs.add(new int[] {oracleRowOf[i], oracle.length(oracleRowOf[i]) - 1});
          }
        }
      }
      NDArray oracleEmb = null;
      if (!oracle.isEmpty()) {
        List<int[]> pairs = new ArrayList<>(lmPairs);
        pairs.addAll(leakEmbPairs);
        ModelOutput out =
            model
                .network()
                .forward(
                    scope,
                    oracle.toInput(model.tokenizer().padId()),
                    OutputRequest.gatherAt(pairs.toArray(new int[0][])));
        NDArray gathered = out.gathered();
        int p = lmPairs.size();
        if (p > 0) {
          NDArray hidden = gathered.get("0:" + p);
          NDArray logProbs = model.network().logits(hidden).logSoftmax(1);
          long[] labels = lmLabels.stream().mapToLong(Integer::longValue).toArray();
          NDArray picked = logProbs.gather(scope.create(labels, new Shape(p, 1)), 1);
          lm = picked.mean().neg();
        }
        if (!leakEmbPairs.isEmpty()) {
          oracleEmb = gathered.get(p + ":");
        }
      }

      // Pass 2: contrastive queries that are not oracle sequences, then targets and negatives.
      if (contrastiveTerm) {
        SequenceBatch pass = new SequenceBatch();
        List<int[]> queryPairs = new ArrayList<>();
        int[] queryFrom = new int[n]; // index into oracleEmb (>= 0) or into pass-2 queries (< 0)
        int leakIndex = 0;
        for (int i = 0; i < n; i++) {
          if (leakQueries && oracleRowOf[i] >= 0) {
            queryFrom[i] = leakIndex++;
            continue;
          }
          int[] seq = querySequences.get(i);
          if (seq == null) {
            // oracle-leak row without an oracle rationale: embed without reasoning
            seq = prompts.candidate(queryTexts.get(i), grid(queryImages.get(i))).ids();
          }
          int row = pass.add(seq, queryImages.get(i));
          queryFrom[i] = -1 - queryPairs.size();
          queryPairs.add(new int[] {row, seq.length - 1});
        }
        List<int[]> targetPairs = new ArrayList<>();
        for (TrainExample e : batch) {
          targetPairs.add(addCandidate(pass, e.target()));
        }
        if (s.hardNegatives()) {
          for (TrainExample e : batch) {
            for (MultimodalInput neg : e.hardNegatives()) {
              targetPairs.add(addCandidate(pass, neg));
            }
          }
        }
        List<int[]> pairs = new ArrayList<>(queryPairs);
        pairs.addAll(targetPairs);
        ModelOutput out =
            model
                .network()
                .forward(
                    scope,
                    pass.toInput(model.tokenizer().padId()),
                    OutputRequest.gatherAt(pairs.toArray(new int[0][])));
        NDArray gathered = out.gathered();
        int qn = queryPairs.size();
        NDArray passQueries = qn > 0 ? gathered.get("0:" + qn) : null;
        NDArray targets = normalise(gathered.get(qn + ":"));
        long[] rowIndex = new long[n];
        for (int i = 0; i < n; i++) {
          rowIndex[i] = queryFrom[i] >= 0 ? queryFrom[i] : (leakIndex + (-1 - queryFrom[i]));
        }
        NDArray allQueries =
            oracleEmb == null
                ? passQueries
                : passQueries == null ? oracleEmb : oracleEmb.concat(passQueries, 0);
        NDArray queries = normalise(allQueries.get(scope.create(rowIndex)));
        lastQueryEmbeddings = toRows(queries);
        NDArray logits = queries.matMul(targets.transpose()).div(constant(scope, s.temperature()));
        long[] diagonal = new long[n];
        for (int i = 0; i < n; i++) {
          diagonal[i] = i;
        }
        NDArray picked = logits.logSoftmax(1).gather(scope.create(diagonal, new Shape(n, 1)), 1);
        contrastive = picked.mean().neg();
      }
      NDArray total = null;
      if (lm != null) {
        total = lm.mul(constant(scope, s.lmWeight()));
      }
      if (contrastive != null) {
        NDArray weighted = contrastive.mul(constant(scope, s.contrastiveWeight()));
        total = total == null ? weighted : total.add(weighted);
      }
      if (total == null) {
        throw new IllegalStateException(
            "nothing to optimise: no LM term (no oracle rationales or mode "
                + s.mode().id()
                + ") and contrastive weight 0");
      }
      double totalValue = total.getFloat();
      if (backward && Double.isFinite(totalValue)) {
        collector.backward(total.mul(constant(scope, lossScale)));
      }
      double meanRationale =
          contrastiveTerm && s.mode() != ObjectiveMode.BASELINE ? rationaleTokens / n : 0;
      return new StepLosses(
          totalValue,
          lm == null ? Double.NaN : lm.getFloat(),
          contrastive == null ? Double.NaN : contrastive.getFloat(),
          meanRationale,
          generationNanos,
          System.nanoTime() - forwardStart,
          n);
    }
  }

  /**
   * The generated tokens without vision placeholders. A model that cannot write yet (trained from
   * scratch, early on) may emit {@code <|image_pad|>} and the like; in a full forward pass every
   * {@code <|image_pad|>} is an image slot, so such a rationale would not match its image features
   * (generation itself embeds them as plain tokens). They carry no text, so they are dropped.
   */
  private int[] withoutVisionTokens(int[] tokens) {
    int kept = 0;
    int[] out = new int[tokens.length];
    for (int t : tokens) {
      if (!visionTokens.contains(t)) {
        out[kept++] = t;
      }
    }
    if (kept < tokens.length) {
      if (droppedVisionTokens == 0) {
        LOG.warn(
            "a generated rationale contains vision placeholder tokens; they are dropped from the"
                + " contrastive query (common while a model trained from scratch cannot write yet)");
      }
      droppedVisionTokens += tokens.length - kept;
    }
    return kept == tokens.length ? tokens : java.util.Arrays.copyOf(out, kept);
  }

  /** Vision placeholder tokens dropped from generated rationales so far. */
  public long droppedVisionTokens() {
    return droppedVisionTokens;
  }

  /**
   * A constant for differentiable arithmetic. Not DJL's {@code Number} overloads: they wrap the
   * constant in a tensor over a Java buffer that is released at once, while autograd keeps the
   * tensor for the backward pass of {@code mul} and {@code div}; if the garbage collector frees the
   * buffer first, the gradients read freed memory. {@code full} makes a tensor that owns its
   * memory.
   */
  private static NDArray constant(NDManager scope, double value) {
    return scope.full(new Shape(), (float) value, ai.djl.ndarray.types.DataType.FLOAT32);
  }

  private int[] addCandidate(SequenceBatch pass, MultimodalInput candidate) {
    ProcessedImage image = process(candidate);
    int[] ids = prompts.candidate(candidate.promptText(), grid(image)).ids();
    int row = pass.add(ids, image);
    return new int[] {row, ids.length - 1};
  }

  private static NDArray normalise(NDArray x) {
    return x.div(x.norm(new int[] {1}, true));
  }

  private static float[][] toRows(NDArray x) {
    int rows = (int) x.getShape().get(0);
    int width = (int) x.getShape().get(1);
    float[] all = x.toFloatArray();
    float[][] out = new float[rows][];
    for (int r = 0; r < rows; r++) {
      out[r] = java.util.Arrays.copyOfRange(all, r * width, (r + 1) * width);
    }
    return out;
  }

  /** The normalised contrastive query embeddings of the last call, row per example. */
  float[][] lastQueryEmbeddings() {
    return lastQueryEmbeddings;
  }

  private ProcessedImage process(MultimodalInput in) {
    return in.image() == null ? null : model.imageProcessor().process(in.image());
  }

  private static io.rge.core.image.ImageGrid grid(ProcessedImage image) {
    return image == null ? null : image.grid();
  }

  private static List<ProcessedImage> images(ProcessedImage image) {
    return image == null ? List.of() : List.of(image);
  }
}
