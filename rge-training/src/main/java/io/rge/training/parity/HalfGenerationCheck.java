package io.rge.training.parity;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.rge.core.Cosine;
import io.rge.core.RgeModel;
import io.rge.core.generation.GeneratedQuery;
import io.rge.core.image.ProcessedImage;
import io.rge.core.qwen25vl.ModelInput;
import io.rge.core.qwen25vl.ModelOutput;
import io.rge.core.qwen25vl.OutputRequest;
import io.rge.core.qwen25vl.Upcast;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The parity check of a greedy sequence generated in half precision. An exact bar is wrong there:
 * where the reference's best two next-token logits are closer than the half type's logit error, a
 * correct half-precision pass may pick either, and every later token follows from that pick.
 *
 * <p>So the reference sequence (transformers' greedy tokens, prompt then rationale then {@code
 * <emb>}) is fed whole, teacher-forced, through the half model and through the same checkpoint in
 * fp32 (the reference's logits at the generated positions: the fixture holds the prompt's only, and
 * the fp32 pass meets transformers' to 1e-4 on those). Three rows:
 *
 * <ul>
 *   <li>{@code <seq>.teacher_forced_logits}: the half logits at every generated position against
 *       the fp32 ones, within the hidden-state bar;
 *   <li>{@code <seq>}: the positions where the reference's top-two margin exceeds the precision's
 *       bound ({@link ParityTolerances#tokenMargin}) and the half model's greedy token differs
 *       (teacher-forced, and the free-running sequence's first divergence): must be none;
 *   <li>{@code <emb row>}: the embedding at the reference sequence's {@code <emb>}, the generated
 *       one when the free-running sequence is the reference's, else the teacher-forced one.
 * </ul>
 */
final class HalfGenerationCheck {
  private static final Logger LOG = LoggerFactory.getLogger(HalfGenerationCheck.class);

  private HalfGenerationCheck() {}

  /**
   * @param prompt the unpadded prompt ids
   * @param expected the reference's generated tokens, ending in {@code <emb>}
   * @param generated the half model's greedy generation of {@code expected.length - 1} tokens
   * @param embeddingName the reference embedding's row, or null when the fixture has none
   */
  static List<ParityRow> rows(
      ParitySession s,
      String sequenceName,
      String embeddingName,
      int[] prompt,
      int[] expected,
      List<ProcessedImage> images,
      GeneratedQuery generated) {
    int[] full = new int[prompt.length + expected.length];
    System.arraycopy(prompt, 0, full, 0, prompt.length);
    System.arraycopy(expected, 0, full, prompt.length, expected.length);
    int chosen = expected.length - 1; // greedy picks; the final <emb> is appended, not chosen
    TeacherForced half = TeacherForced.run(s.model(), full, images, prompt.length, chosen);
    TeacherForced reference = TeacherForced.run(s.reference(), full, images, prompt.length, chosen);
    int vocab = half.vocab;
    double bound = s.tokenMargin();
    List<ParityRow> rows = new ArrayList<>();
    rows.add(
        ParityRow.compare(
            sequenceName + ".teacher_forced_logits", reference.logits, half.logits, s.hidden()));

    boolean[] mismatch = new boolean[chosen];
    double[] margin = new double[chosen];
    int decisive = 0;
    for (int t = 0; t < chosen; t++) {
      margin[t] = margin(reference.logits, t * vocab, vocab, expected[t]);
      if (margin[t] > bound) {
        decisive++;
        mismatch[t] = argmax(half.logits, t * vocab, vocab) != expected[t];
      }
    }
    int[] tokens = generated.tokens();
    int diverged = firstDifference(expected, tokens);
    if (diverged >= 0 && diverged < chosen) {
      LOG.info(
          "{}: the free-running half-precision sequence leaves the reference at token {}"
              + " (reference top-two margin {}, bound {}); later tokens are checked"
              + " teacher-forced",
          sequenceName,
          diverged,
          String.format(java.util.Locale.ROOT, "%.3g", margin[diverged]),
          bound);
      mismatch[diverged] |= margin[diverged] > bound;
    }
    int mismatches = 0;
    for (boolean m : mismatch) {
      mismatches += m ? 1 : 0;
    }
    LOG.info(
        "{}: {} of {} greedy tokens have a reference margin above {}",
        sequenceName,
        decisive,
        chosen,
        bound);
    rows.add(ParityRow.tokenMismatches(sequenceName, mismatches, chosen));

    if (embeddingName != null) {
      float[] embedding = diverged < 0 ? generated.embedding() : half.embedding;
      rows.add(
          ParityRow.compare(
              embeddingName, s.fixture().floats(embeddingName), embedding, s.hidden()));
    }
    return rows;
  }

  /** The reference token's logit minus the best other logit (negative where it is not the top). */
  private static double margin(float[] logits, int offset, int vocab, int token) {
    double best = Double.NEGATIVE_INFINITY;
    for (int v = 0; v < vocab; v++) {
      if (v != token) {
        best = Math.max(best, logits[offset + v]);
      }
    }
    return logits[offset + token] - best;
  }

  private static int argmax(float[] logits, int offset, int vocab) {
    int best = 0;
    for (int v = 1; v < vocab; v++) {
      if (logits[offset + v] > logits[offset + best]) {
        best = v;
      }
    }
    return best;
  }

  /** The first index where the two differ (a length difference counts), or -1. */
  private static int firstDifference(int[] a, int[] b) {
    for (int i = 0; i < Math.min(a.length, b.length); i++) {
      if (a[i] != b[i]) {
        return i;
      }
    }
    return a.length == b.length ? -1 : Math.min(a.length, b.length);
  }

  /** One teacher-forced pass: the next-token logits of the chosen positions and the embedding. */
  private record TeacherForced(float[] logits, int vocab, float[] embedding) {
    static TeacherForced run(
        RgeModel model, int[] full, List<ProcessedImage> images, int promptLength, int chosen) {
      try (NDManager scope = model.manager().newSubManager()) {
        ModelOutput out =
            model
                .network()
                .forward(scope, ModelInput.single(full, images), OutputRequest.everything());
        float[] all = Upcast.hostFloats(out.logits()); // [1, L, vocab]
        int vocab = (int) out.logits().getShape().get(2);
        // Position p's logits choose token p + 1: the first generated token comes from the
        // prompt's last position.
        float[] logits =
            Arrays.copyOfRange(
                all, (promptLength - 1) * vocab, (promptLength - 1 + chosen) * vocab); // [N, V]
        NDArray hidden = out.lastHidden(); // [1, L, H]
        int width = (int) hidden.getShape().get(2);
        float[] h = Upcast.hostFloats(hidden);
        float[] embedding = Cosine.normalised(h, (full.length - 1) * width, width); // at <emb>
        return new TeacherForced(logits, vocab, embedding);
      }
    }
  }
}
