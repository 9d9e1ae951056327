package io.rge.data.synth;

import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Derives independent random streams from the root seed by name, so one stream does not shift
 * another.
 */
final class Seeds {
  private Seeds() {}

  /** A seed for the stream called {@code name} under {@code root}. */
  static long derive(long root, String name) {
    long hash = 0xcbf29ce484222325L; // FNV-1a 64
    for (byte b : name.getBytes(StandardCharsets.UTF_8)) {
      hash ^= b & 0xff;
      hash *= 0x100000001b3L;
    }
    return mix(root ^ mix(hash));
  }

  /** SplitMix64's finaliser. */
  static long mix(long value) {
    long z = value + 0x9E3779B97F4A7C15L;
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  /** Fisher-Yates, drawing from {@code random} from the last position down. */
  static <T> void shuffle(List<T> values, SplittableRandom random) {
    for (int i = values.size() - 1; i > 0; i--) {
      Collections.swap(values, i, random.nextInt(i + 1));
    }
  }
}
