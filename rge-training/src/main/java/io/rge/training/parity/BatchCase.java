package io.rge.training.parity;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.rge.core.Cosine;
import io.rge.core.image.ProcessedImage;
import io.rge.core.qwen25vl.ModelInput;
import io.rge.core.qwen25vl.ModelOutput;
import io.rge.core.qwen25vl.OutputRequest;
import io.rge.core.qwen25vl.Upcast;
import java.util.ArrayList;
import java.util.List;

/**
 * A {@code batch_*} case: a padded batch run as given (left or right padding). The final hidden
 * states are compared at unpadded positions only (padding positions are free to differ) and the
 * normalised hidden states at each row's {@code <emb>}.
 */
final class BatchCase {
  private BatchCase() {}

  static CaseResult run(ParitySession s, String kase) {
    ParityFixture f = s.fixture();
    int[][] ids = f.intRows(kase + ".input_ids");
    int[][] mask = s.mask(kase + ".attention_mask", ids);
    List<ProcessedImage> images = s.images(kase, ids, mask);
    int[] emb = s.embPositions(kase, ids, mask);
    int[][] pairs = new int[ids.length][];
    for (int r = 0; r < ids.length; r++) {
      pairs[r] = new int[] {r, emb[r]};
    }
    List<ParityRow> rows = new ArrayList<>();
    try (NDManager scope = s.model().manager().newSubManager()) {
      ModelOutput out =
          s.model()
              .network()
              .forward(scope, new ModelInput(ids, mask, images), OutputRequest.gatherAt(pairs));
      String hiddenName = kase + ".last_hidden_state";
      if (f.has(hiddenName)) {
        float[] expected = f.floats(hiddenName);
        float[] actual = Upcast.hostFloats(out.lastHidden());
        if (expected.length != actual.length) {
          rows.add(
              ParityRow.failed(
                  hiddenName,
                  s.hidden(),
                  "size " + actual.length + ", expected " + expected.length + " values"));
        } else {
          rows.add(
              ParityRow.compare(
                  hiddenName, unpadded(expected, mask), unpadded(actual, mask), s.hidden()));
        }
      }
      String embName = kase + ".emb_embeddings";
      if (f.has(embName)) {
        NDArray h = out.gathered();
        float[] normalised = Upcast.hostFloats(Cosine.normaliseRows(h));
        rows.add(ParityRow.compare(embName, f.floats(embName), normalised, s.hidden()));
      }
    }
    rows.addAll(s.positionRows(kase + ".", ids, mask, images));
    return new CaseResult(kase, !images.isEmpty(), rows);
  }

  /** The values of {@code [B, L, H]} at positions whose mask is 1, in order. */
  private static float[] unpadded(float[] values, int[][] mask) {
    int b = mask.length;
    int l = mask[0].length;
    int h = values.length / (b * l);
    float[] out = new float[values.length];
    int n = 0;
    for (int r = 0; r < b; r++) {
      for (int i = 0; i < l; i++) {
        if (mask[r][i] != 0) {
          System.arraycopy(values, (r * l + i) * h, out, n, h);
          n += h;
        }
      }
    }
    return java.util.Arrays.copyOf(out, n);
  }
}
