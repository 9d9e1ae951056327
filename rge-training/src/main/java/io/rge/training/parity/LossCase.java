package io.rge.training.parity;

import com.fasterxml.jackson.databind.JsonNode;
import io.rge.core.image.ProcessedImage;
import io.rge.core.prompt.PromptTokens;
import io.rge.core.qwen25vl.ModelWeights;
import io.rge.training.objective.ObjectiveMode;
import io.rge.training.objective.ObjectiveSettings;
import io.rge.training.objective.RgeObjective;
import io.rge.training.objective.StepLosses;
import io.rge.training.objective.TokenBatch;
import io.rge.training.objective.TokenPosition;
import io.rge.training.objective.TokenSequence;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * The {@code loss} case: the joint objective on the fixture's token ids through {@link
 * RgeObjective}'s token-level entry point — queries ({@code loss.query_*}, teacher-forced with
 * their labels, embedded at their {@code <emb>}) in the oracle pass, targets ({@code
 * loss.target_*}) in the embedding pass; {@code total = 1 · lm + 10 · contrastive} at τ = 0.02 as
 * the fixture format defines. Then one backward pass gives every parameter's gradient norm.
 */
final class LossCase {
  private LossCase() {}

  static CaseResult run(ParitySession s, String kase) {
    ParityFixture f = s.fixture();
    String p = kase + ".";
    int[][] queryIds = f.intRows(p + "query_input_ids");
    int[][] queryMask = s.mask(p + "query_attention_mask", queryIds);
    int[][] labels = f.intRows(p + "query_labels");
    int[][] targetIds = f.intRows(p + "target_input_ids");
    int[][] targetMask = s.mask(p + "target_attention_mask", targetIds);
    List<ProcessedImage> queryImages = s.images(kase, queryIds, queryMask);
    int[] queryEmb = s.embPositions(kase + ".query", queryIds, queryMask);
    int[] targetEmb = s.embPositions(kase + ".target", targetIds, targetMask);

    List<TokenSequence> queries = new ArrayList<>();
    List<TokenPosition> queryAt = new ArrayList<>();
    int imageIndex = 0;
    for (int r = 0; r < queryIds.length; r++) {
      Trimmed t = Trimmed.of(queryIds[r], queryMask[r], labels[r], queryEmb[r]);
      int blocks = s.imageBlocks(t.ids, null);
      List<ProcessedImage> own = queryImages.subList(imageIndex, imageIndex + blocks);
      imageIndex += blocks;
      queries.add(new TokenSequence(t.ids, t.labels, own));
      queryAt.add(TokenPosition.oracle(r, t.emb));
    }
    List<TokenSequence> targets = new ArrayList<>();
    List<TokenPosition> targetAt = new ArrayList<>();
    for (int r = 0; r < targetIds.length; r++) {
      Trimmed t = Trimmed.of(targetIds[r], targetMask[r], null, targetEmb[r]);
      if (s.imageBlocks(t.ids, null) > 0) {
        throw new IllegalArgumentException(
            p + "target_input_ids row " + r + " has an image block; targets are text-only");
      }
      targets.add(TokenSequence.unlabelled(t.ids, List.of()));
      targetAt.add(TokenPosition.embedding(r, t.emb));
    }
    TokenBatch batch = new TokenBatch(queries, targets, queryAt, targetAt);

    ModelWeights weights = s.model().network().weights();
    List<ParityRow> rows = new ArrayList<>();
    weights.setTrainable(w -> true);
    try {
      weights.zeroGradients();
      StepLosses losses =
          new RgeObjective(s.model()).step(batch, ObjectiveSettings.paper(ObjectiveMode.RGE), 1.0);
      addScalar(rows, f, p + "lm", losses.lm(), s.loss());
      addScalar(rows, f, p + "contrastive", losses.contrastive(), s.loss());
      addScalar(rows, f, p + "total", losses.total(), s.loss());
      JsonNode expectedNorms = f.json(kase, "grad_norms");
      if (expectedNorms.isObject()) {
        Map<String, Double> norms = weights.gradientNorms();
        Iterator<Map.Entry<String, JsonNode>> it = expectedNorms.fields();
        while (it.hasNext()) {
          Map.Entry<String, JsonNode> e = it.next();
          String name = p + "grad_norm." + e.getKey();
          Double norm = norms.get(e.getKey());
          rows.add(
              norm == null
                  ? ParityRow.failed(name, s.gradient(), "the model has no such weight")
                  : ParityRow.compare(name, e.getValue().asDouble(), norm, s.gradient()));
        }
      }
    } finally {
      weights.zeroGradients();
      weights.setTrainable(w -> false);
    }
    rows.addAll(s.positionRows(p + "query_", queryIds, queryMask, queryImages));
    return new CaseResult(kase, !queryImages.isEmpty(), rows);
  }

  private static void addScalar(
      List<ParityRow> rows, ParityFixture f, String name, double got, Tolerance tolerance) {
    if (f.has(name)) {
      rows.add(ParityRow.compare(name, f.floats(name)[0], got, tolerance));
    }
  }

  /**
   * A row without its padding (the model sees exactly the unpadded tokens whatever the side), with
   * its labels and {@code <emb>} position moved along.
   */
  private record Trimmed(int[] ids, int[] labels, int emb) {
    static Trimmed of(int[] ids, int[] mask, int[] labels, int emb) {
      int[] kept = new int[ids.length];
      int[] keptLabels = labels == null ? null : new int[ids.length];
      int n = 0;
      int newEmb = -1;
      for (int i = 0; i < ids.length; i++) {
        if (mask[i] == 0) {
          continue;
        }
        if (i == emb) {
          newEmb = n;
        }
        kept[n] = ids[i];
        if (keptLabels != null) {
          keptLabels[n] = labels[i];
        }
        n++;
      }
      if (newEmb < 0) {
        throw new IllegalArgumentException("the <emb> position " + emb + " is padding");
      }
      int[] trimmedLabels = keptLabels == null ? null : java.util.Arrays.copyOf(keptLabels, n);
      if (trimmedLabels != null && trimmedLabels[0] != PromptTokens.IGNORE) {
        throw new IllegalArgumentException("the first unpadded token of a query is labelled");
      }
      return new Trimmed(java.util.Arrays.copyOf(kept, n), trimmedLabels, newEmb);
    }
  }
}
