package io.rge.core.generation;

import java.util.Arrays;
import java.util.List;

/**
 * The leading tokens every prompt of a generation shares: the system prompt and chat header, and an
 * instruction when all prompts start with it. It stops before the first vision token (image
 * features differ from prompt to prompt) and leaves every prompt at least one token of its own.
 */
final class SharedPrefix {
  /** Shorter prefixes are not worth a separate pass. */
  static final int MIN_LENGTH = 2;

  private SharedPrefix() {}

  /**
   * @param stops ids the prefix never includes (the vision placeholders)
   * @return the prefix, or an empty array when it would be shorter than {@link #MIN_LENGTH}
   */
  static int[] of(List<GenerationRequest> requests, int[] stops) {
    if (requests.size() < 2) {
      return new int[0];
    }
    int[] first = requests.get(0).promptIds();
    int length = first.length - 1;
    for (GenerationRequest r : requests) {
      int[] ids = r.promptIds();
      length = Math.min(length, ids.length - 1);
      int i = 0;
      while (i < length && ids[i] == first[i]) {
        i++;
      }
      length = i;
    }
    for (int i = 0; i < length; i++) {
      final int id = first[i];
      if (Arrays.stream(stops).anyMatch(s -> s == id)) {
        length = i;
        break;
      }
    }
    return length < MIN_LENGTH ? new int[0] : Arrays.copyOf(first, length);
  }
}
