package io.rge.core.generation;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.Arrays;
import java.util.SplittableRandom;

/** Picks each row's next token from its logits according to a {@link Decoding}. */
final class TokenChooser {
  private final Decoding decoding;
  private final SplittableRandom random;
  private final float[] bias;
  private final NDManager scope;
  private NDArray biasArray;

  /**
   * @param suppressed token ids that are never chosen
   * @param scope where the suppression bias lives (created once, on the logits' device and dtype)
   */
  TokenChooser(Decoding decoding, int[] suppressed, int vocab, NDManager scope) {
    this.decoding = decoding;
    this.scope = scope;
    this.bias = new float[vocab];
    for (int id : suppressed) {
      if (id < 0 || id >= vocab) {
        throw new IllegalArgumentException(
            "suppressed token id " + id + " is outside the vocabulary of " + vocab);
      }
      bias[id] = Float.NEGATIVE_INFINITY;
    }
    this.random = decoding instanceof Decoding.Sampling s ? new SplittableRandom(s.seed()) : null;
  }

  /**
   * @param logits {@code [B, vocab]}
   */
  int[] choose(NDArray logits) {
    if (biasArray == null) {
      biasArray =
          scope
              .create(bias)
              .toDevice(logits.getDevice(), false)
              .toType(logits.getDataType(), false);
    }
    logits = logits.add(biasArray);
    if (decoding instanceof Decoding.Sampling s) {
      return sample(logits, s);
    }
    long[] ids = logits.argMax(1).toLongArray();
    int[] out = new int[ids.length];
    for (int i = 0; i < ids.length; i++) {
      out[i] = (int) ids[i];
    }
    return out;
  }

  private int[] sample(NDArray logits, Decoding.Sampling s) {
    int rows = (int) logits.getShape().get(0);
    int vocab = (int) logits.getShape().get(1);
    float[] probs = logits.div((float) s.temperature()).softmax(1).toFloatArray();
    int[] out = new int[rows];
    // Descending probability, ties by ascending id, as one primitive sort: the high half of each
    // key is the complemented float bits (probabilities are >= 0), the low half the token id.
    long[] keys = new long[vocab];
    int[] order = new int[vocab];
    for (int r = 0; r < rows; r++) {
      int base = r * vocab;
      for (int i = 0; i < vocab; i++) {
        keys[i] = ((long) ~Float.floatToIntBits(probs[base + i]) << 32) | i;
      }
      Arrays.sort(keys);
      for (int i = 0; i < vocab; i++) {
        order[i] = (int) keys[i];
      }
      double kept = 0;
      int n = 0;
      while (n < vocab && (n == 0 || kept < s.topP())) {
        kept += probs[base + order[n]];
        n++;
      }
      double u = random.nextDouble() * kept;
      double acc = 0;
      int pick = order[n - 1];
      for (int i = 0; i < n; i++) {
        acc += probs[base + order[i]];
        if (u < acc) {
          pick = order[i];
          break;
        }
      }
      out[r] = pick;
    }
    return out;
  }
}
