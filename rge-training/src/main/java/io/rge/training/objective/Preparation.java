package io.rge.training.objective;

import io.rge.core.MultimodalInput;
import io.rge.core.PreparedInput;
import io.rge.core.RgeModel;
import io.rge.core.generation.GeneratedQuery;
import io.rge.core.generation.GenerationRequest;
import io.rge.core.image.ProcessedImage;
import io.rge.core.prompt.PromptTokens;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The objective's {@code prepare} phase on one worker's model (see {@link RgeObjective}): the token
 * sequences of a batch and where each embedding is read, generating the queries' rationales on the
 * way (rge mode).
 */
final class Preparation {
  private final RgeModel model;

  Preparation(RgeModel model) {
    this.model = model;
  }

  /**
   * The token sequences of both passes and where the embeddings are read: oracle sequences, then
   * query rationales, then the passes.
   *
   * @throws IllegalStateException when the step has nothing to optimise (no LM term and no
   *     contrastive term)
   */
  PreparedBatch prepare(List<TrainExample> batch, ObjectiveSettings s) {
    if (batch.isEmpty()) {
      throw new IllegalArgumentException("empty batch");
    }
    // The model's own preparation, as at inference: the generation prompt (the candidate prompt
    // for the baseline, whose queries never reason), the image processed once.
    List<PreparedInput> queries = new ArrayList<>(batch.size());
    for (TrainExample e : batch) {
      queries.add(model.prepareQuery(e.query(), s.mode() != ObjectiveMode.BASELINE));
    }
    PromptTokens[] oracle = oracleSequences(batch, queries, s);
    QueryRationales rationales = queryRationales(queries, oracle, s);
    TokenBatch tokens = passes(batch, queries, oracle, rationales.sequences(), s);
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
   * Oracle sequences: each query with its oracle rationale — the LM term's sequence, and in
   * oracle-leak mode also the contrastive query; tokenised once for both. Null where a row has no
   * rationale or neither use needs it.
   */
  private PromptTokens[] oracleSequences(
      List<TrainExample> batch, List<PreparedInput> queries, ObjectiveSettings s) {
    PromptTokens[] withOracle = new PromptTokens[batch.size()];
    boolean leakQueries = s.hasContrastiveTerm() && s.mode() == ObjectiveMode.ORACLE_LEAK;
    if (!s.hasLmTerm() && !leakQueries) {
      return withOracle;
    }
    for (int i = 0; i < batch.size(); i++) {
      String rationale = batch.get(i).oracleRationale();
      if (rationale != null) {
        withOracle[i] = model.prepareWithRationale(queries.get(i), rationale);
      }
    }
    return withOracle;
  }

  /** Each contrastive query's ids (null for all without a contrastive term), and their cost. */
  private record QueryRationales(int[][] sequences, double tokens, long nanos, int generated) {}

  /**
   * Query rationales: each contrastive query's token sequence, ending in {@code <emb>}. Rationales
   * are generated without gradient, before any pass that records one, in one batched call.
   */
  private QueryRationales queryRationales(
      List<PreparedInput> queries, PromptTokens[] withOracle, ObjectiveSettings s) {
    int n = queries.size();
    int[][] sequences = new int[n][];
    if (!s.hasContrastiveTerm()) {
      return new QueryRationales(sequences, 0, 0, 0);
    }
    long start = System.nanoTime();
    double rationaleTokens = 0;
    List<GenerationRequest> requests = new ArrayList<>();
    List<Integer> generatedRows = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      if (s.mode() == ObjectiveMode.BASELINE) {
        sequences[i] = queries.get(i).promptIds(); // prompt + <emb>
      } else if (s.mode() == ObjectiveMode.ORACLE_LEAK && withOracle[i] != null) {
        PromptTokens p = withOracle[i];
        sequences[i] = p.ids();
        rationaleTokens += p.length() - p.labelStart() - 1;
      } else {
        generatedRows.add(i);
        requests.add(queries.get(i).generationRequest());
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
   * The passes: the oracle pass (oracle sequences, teacher-forced: the LM term, and the queries in
   * oracle-leak mode) and the embedding pass (the other contrastive queries, then targets, then
   * hard negatives), with where each query and candidate embedding is read.
   */
  private TokenBatch passes(
      List<TrainExample> batch,
      List<PreparedInput> prepared,
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
          oracle.add(new TokenSequence(p.ids(), p.labels(), images(prepared.get(i).image())));
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
          queries.add(embedAtEnd(embedding, querySequences[i], prepared.get(i).image()));
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

  private static TokenPosition embedAtEnd(
      List<TokenSequence> pass, int[] ids, ProcessedImage image) {
    pass.add(TokenSequence.unlabelled(ids, images(image)));
    return TokenPosition.embedding(pass.size() - 1, ids.length - 1);
  }

  private TokenPosition addCandidate(List<TokenSequence> pass, MultimodalInput candidate) {
    PreparedInput c = model.prepareCandidate(candidate);
    return embedAtEnd(pass, c.promptIds(), c.image());
  }

  private static List<ProcessedImage> images(ProcessedImage image) {
    return image == null ? List.of() : List.of(image);
  }
}
