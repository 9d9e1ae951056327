package io.rge.eval.prompt;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One dataset's entry in a prompt file: how its MMEB query and candidate texts are rewritten. Every
 * field is optional; see {@link PromptSet} for how each is applied.
 *
 * @param queryInstruction the instruction the query should carry
 * @param queryReplaces the MMEB instruction it replaces; without it (or when the text does not
 *     start with it) {@code queryInstruction} is prepended
 * @param candidatePrefix text put before every candidate text
 * @param candidateInstruction the instruction candidates should carry instead of {@code
 *     candidateReplaces}
 * @param candidateReplaces the MMEB candidate instruction {@code candidateInstruction} replaces
 * @param candidateValues whole candidate texts mapped to new texts (e.g. HatefulMemes "Yes"/"No")
 */
public record DatasetPrompts(
    String queryInstruction,
    String queryReplaces,
    String candidatePrefix,
    String candidateInstruction,
    String candidateReplaces,
    Map<String, String> candidateValues) {
  public DatasetPrompts {
    if (queryReplaces != null && queryInstruction == null) {
      throw new IllegalArgumentException("query_replaces needs a query_instruction to put there");
    }
    if ((candidateInstruction == null) != (candidateReplaces == null)) {
      throw new IllegalArgumentException(
          "candidate_instruction and candidate_replaces go together (one was given alone)");
    }
    requireNonBlank("query_instruction", queryInstruction);
    requireNonBlank("query_replaces", queryReplaces);
    requireNonBlank("candidate_replaces", candidateReplaces);
    candidateValues =
        candidateValues == null
            ? Map.of()
            : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(candidateValues));
  }

  private static void requireNonBlank(String field, String value) {
    if (value != null && value.isBlank()) {
      throw new IllegalArgumentException(field + " is blank; leave it out instead");
    }
  }
}
