package io.rge.training.rationales;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.rge.core.config.ConfigLoader;
import io.rge.core.prompt.QwenChatPrompts;
import io.rge.core.tokenizer.QwenTokenizer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * How a teacher is asked for oracle rationales and which answers are kept, as written in YAML
 * ({@code configs/rationales-teacher.yaml} is the default and documents every key).
 *
 * @param system the system prompt (default Qwen's "You are a helpful assistant.")
 * @param prompt the user turn: {@code {query}} and {@code {target}} exactly once each, optionally
 *     {@code {end_marker}}
 * @param endMarker text the answer must end with, removed from the rationale; null for none
 * @param stopToken the token that ends the teacher's turn (default {@code <|im_end|>})
 * @param maxNewTokens generation limit per row (default 224)
 * @param batchSize rows generated together (default 16)
 * @param filters which answers are dropped
 */
public record CurationConfig(
    String system,
    @JsonProperty(required = true) String prompt,
    String endMarker,
    String stopToken,
    Integer maxNewTokens,
    Integer batchSize,
    Filters filters) {
  /** Where the default ships on the class path (copied from {@code configs/} by the build). */
  static final String DEFAULT_RESOURCE = "/io/rge/training/rationales/rationales-teacher.yaml";

  static final String QUERY = "{query}";
  static final String TARGET = "{target}";
  static final String END_MARKER = "{end_marker}";

  public CurationConfig {
    system = system == null ? QwenChatPrompts.SYSTEM_PROMPT : system;
    endMarker = endMarker == null || endMarker.isBlank() ? null : endMarker.strip();
    stopToken = stopToken == null ? QwenTokenizer.IM_END : stopToken;
    maxNewTokens = maxNewTokens == null ? 224 : maxNewTokens;
    batchSize = batchSize == null ? 16 : batchSize;
    filters = filters == null ? Filters.defaults() : filters;
    require(prompt != null && !prompt.isBlank(), "prompt is required");
    for (String key : List.of(QUERY, TARGET)) {
      int count = prompt.split(java.util.regex.Pattern.quote(key), -1).length - 1;
      require(count == 1, "prompt must contain " + key + " exactly once, found " + count);
    }
    require(
        endMarker != null || !prompt.contains(END_MARKER),
        "prompt uses " + END_MARKER + " but end_marker is null");
    require(maxNewTokens >= 1, "max_new_tokens must be >= 1, got " + maxNewTokens);
    require(batchSize >= 1, "batch_size must be >= 1, got " + batchSize);
  }

  /** The default configuration, {@code configs/rationales-teacher.yaml}, with overrides. */
  public static CurationConfig defaults(List<String> overrides) {
    try (InputStream in = CurationConfig.class.getResourceAsStream(DEFAULT_RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException(DEFAULT_RESOURCE + " is missing from the class path");
      }
      String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      return ConfigLoader.load(
              Path.of("rationales-teacher.yaml"), text, CurationConfig.class, overrides)
          .config();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Reads a YAML file with {@code --set} overrides. */
  public static CurationConfig load(Path file, List<String> overrides) {
    return ConfigLoader.load(file, CurationConfig.class, overrides).config();
  }

  /** This configuration with another generation limit and batch size (null keeps the value). */
  public CurationConfig withGeneration(Integer newMaxNewTokens, Integer newBatchSize) {
    return new CurationConfig(
        system,
        prompt,
        endMarker,
        stopToken,
        newMaxNewTokens == null ? maxNewTokens : newMaxNewTokens,
        newBatchSize == null ? batchSize : newBatchSize,
        filters);
  }

  /**
   * The quality filters; a limit of 0 turns its filter off.
   *
   * @param dropUnterminated drop answers without the end marker or cut by the limit (default true)
   * @param maxRationaleTokens longest rationale kept, in teacher tokens (default 160)
   * @param repetitionNgram words per n-gram of the repetition test (default 4)
   * @param maxNgramRepeats most occurrences of one n-gram (default 3)
   * @param maxTargetQuoteWords shortest run of target words, copied verbatim, that drops a
   *     rationale (default 12)
   * @param refusals phrases (case-insensitive) that mark a refusal (default: none)
   */
  public record Filters(
      Boolean dropUnterminated,
      Integer maxRationaleTokens,
      Integer repetitionNgram,
      Integer maxNgramRepeats,
      Integer maxTargetQuoteWords,
      List<String> refusals) {
    public Filters {
      dropUnterminated = dropUnterminated == null || dropUnterminated;
      maxRationaleTokens = maxRationaleTokens == null ? 160 : maxRationaleTokens;
      repetitionNgram = repetitionNgram == null ? 4 : repetitionNgram;
      maxNgramRepeats = maxNgramRepeats == null ? 3 : maxNgramRepeats;
      maxTargetQuoteWords = maxTargetQuoteWords == null ? 12 : maxTargetQuoteWords;
      refusals =
          refusals == null
              ? List.of()
              : refusals.stream()
                  .map(r -> r.strip().toLowerCase(Locale.ROOT))
                  .filter(r -> !r.isEmpty())
                  .toList();
      require(
          maxRationaleTokens >= 0, "max_rationale_tokens must be >= 0, got " + maxRationaleTokens);
      require(repetitionNgram >= 1, "repetition_ngram must be >= 1, got " + repetitionNgram);
      require(maxNgramRepeats >= 0, "max_ngram_repeats must be >= 0, got " + maxNgramRepeats);
      require(
          maxTargetQuoteWords >= 0,
          "max_target_quote_words must be >= 0, got " + maxTargetQuoteWords);
    }

    static Filters defaults() {
      return new Filters(null, null, null, null, null, null);
    }
  }

  private static void require(boolean condition, String message) {
    if (!condition) {
      throw new IllegalArgumentException(message);
    }
  }
}
