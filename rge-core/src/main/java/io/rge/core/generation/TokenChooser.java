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
    logits = logits.add(bias(logits));
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

  /**
   * The probability with which sampling draws each token, {@code [B][vocab]}: the tempered softmax
   * restricted to the nucleus and renormalised (what {@link #choose} samples from).
   */
  double[][] distribution(NDArray logits, Decoding.Sampling s) {
    logits = logits.add(bias(logits));
    int rows = (int) logits.getShape().get(0);
    int vocab = (int) logits.getShape().get(1);
    float[] probs = tempered(logits, s);
    double[][] out = new double[rows][vocab];
    for (int r = 0; r < rows; r++) {
      Nucleus n = nucleus(probs, r * vocab, vocab, s.topP());
      for (int i = 0; i < n.size; i++) {
        out[r][n.order[i]] = probs[r * vocab + n.order[i]] / n.kept;
      }
    }
    return out;
  }

  private NDArray bias(NDArray logits) {
    if (biasArray == null) {
      biasArray =
          scope
              .create(bias)
              .toDevice(logits.getDevice(), false)
              .toType(logits.getDataType(), false);
    }
    return biasArray;
  }

  private int[] sample(NDArray logits, Decoding.Sampling s) {
    int rows = (int) logits.getShape().get(0);
    int vocab = (int) logits.getShape().get(1);
    float[] probs = tempered(logits, s);
    int[] out = new int[rows];
    for (int r = 0; r < rows; r++) {
      out[r] = nucleus(probs, r * vocab, vocab, s.topP()).draw(random.nextDouble());
    }
    return out;
  }

  /** {@code softmax(logits / temperature)}, {@code [B·vocab]} on the host. */
  private static float[] tempered(NDArray logits, Decoding.Sampling s) {
    return logits.div((float) s.temperature()).softmax(1).toFloatArray();
  }

  /**
   * The smallest set of most likely tokens whose probability reaches {@code topP} (at least one).
   */
  private static Nucleus nucleus(float[] probs, int base, int vocab, double topP) {
    // Descending probability, ties by ascending id, as one primitive sort: the high half of each
    // key is the complemented float bits (probabilities are >= 0), the low half the token id.
    long[] keys = new long[vocab];
    for (int i = 0; i < vocab; i++) {
      keys[i] = ((long) ~Float.floatToIntBits(probs[base + i]) << 32) | i;
    }
    Arrays.sort(keys);
    int[] order = new int[vocab];
    for (int i = 0; i < vocab; i++) {
      order[i] = (int) keys[i];
    }
    double kept = 0;
    int n = 0;
    while (n < vocab && (n == 0 || kept < topP)) {
      kept += probs[base + order[n]];
      n++;
    }
    return new Nucleus(probs, base, order, n, kept);
  }

  /**
   * @param order token ids by descending probability
   * @param size how many of them the nucleus holds
   * @param kept their total probability
   */
  private record Nucleus(float[] probs, int base, int[] order, int size, double kept) {
    /** The token at {@code uniform} ∈ [0, 1) of the nucleus' cumulative distribution. */
    int draw(double uniform) {
      double u = uniform * kept;
      double acc = 0;
      for (int i = 0; i < size; i++) {
        acc += probs[base + order[i]];
        if (u < acc) {
          return order[i];
        }
      }
      return order[size - 1];
    }
  }
}
