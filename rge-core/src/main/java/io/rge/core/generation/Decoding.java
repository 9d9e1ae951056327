package io.rge.core.generation;

import java.io.Serializable;

/** How the next token is chosen from the logits; serializable for distributed evaluation. */
public sealed interface Decoding extends Serializable permits Decoding.Greedy, Decoding.Sampling {

  /** How reports name this decoding, e.g. {@code greedy}. */
  String label();

  /** The most likely token (ties: the lowest id, as torch.argmax). */
  record Greedy() implements Decoding {
    @Override
    public String label() {
      return "greedy";
    }
  }

  /**
   * Seeded sampling from {@code softmax(logits / temperature)} restricted to the smallest set of
   * tokens whose probability reaches {@code topP} (nucleus sampling).
   */
  record Sampling(double temperature, double topP, long seed) implements Decoding {
    public Sampling {
      if (!(temperature > 0)) {
        throw new IllegalArgumentException("temperature must be > 0, got " + temperature);
      }
      if (!(topP > 0 && topP <= 1)) {
        throw new IllegalArgumentException("top_p must be in (0, 1], got " + topP);
      }
    }

    @Override
    public String label() {
      return "sampling (temperature " + temperature + ", top_p " + topP + ", seed " + seed + ")";
    }
  }

  static Decoding greedy() {
    return new Greedy();
  }
}
