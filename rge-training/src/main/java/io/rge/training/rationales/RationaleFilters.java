package io.rge.training.rationales;

import io.rge.core.prompt.QwenChatPrompts;
import io.rge.data.mmeb.ImagePlaceholder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToIntFunction;
import java.util.regex.Pattern;

/**
 * Turns a teacher's answer into a rationale or a {@link FilterReason}. Checks run in the order of
 * {@link FilterReason}, and the first that fails names the answer's reason, so every rejected
 * answer is counted once.
 */
public final class RationaleFilters {
  private static final Pattern NON_WORD = Pattern.compile("[^\\p{L}\\p{N}]+");

  private final CurationConfig config;
  private final ToIntFunction<String> tokenCount;
  private final QwenChatPrompts prompts;

  /**
   * @param tokenCount the teacher's token count of a text (for {@code max_rationale_tokens})
   * @param prompts the prompt builder training uses, to check a rationale is accepted there
   */
  public RationaleFilters(
      CurationConfig config, ToIntFunction<String> tokenCount, QwenChatPrompts prompts) {
    this.config = config;
    this.tokenCount = tokenCount;
    this.prompts = prompts;
  }

  /** The verdict on {@code output}, written for a row whose positive text is {@code target}. */
  public Verdict judge(TeacherOutput output, String target) {
    CurationConfig.Filters f = config.filters();
    String text = output.text();
    if (text.isBlank()) {
      return Verdict.reject(FilterReason.EMPTY);
    }
    String marker = config.endMarker();
    int end = marker == null ? -1 : text.indexOf(marker);
    boolean terminated = marker == null ? !output.reachedLimit() : end >= 0;
    if (!terminated && f.dropUnterminated()) {
      return Verdict.reject(FilterReason.UNTERMINATED);
    }
    String rationale = (end >= 0 ? text.substring(0, end) : text).strip();
    if (rationale.isEmpty()) {
      return Verdict.reject(FilterReason.EMPTY);
    }
    String lower = rationale.toLowerCase(Locale.ROOT);
    if (f.refusals().stream().anyMatch(lower::contains)) {
      return Verdict.reject(FilterReason.REFUSAL);
    }
    if (f.maxRationaleTokens() > 0 && tokenCount.applyAsInt(rationale) > f.maxRationaleTokens()) {
      return Verdict.reject(FilterReason.OVER_LONG);
    }
    List<String> words = words(rationale);
    if (f.maxNgramRepeats() > 0
        && mostRepeatedNgram(words, f.repetitionNgram()) > f.maxNgramRepeats()) {
      return Verdict.reject(FilterReason.REPETITIVE);
    }
    if (f.maxTargetQuoteWords() > 0
        && longestSharedRun(words, words(target.replace(ImagePlaceholder.TOKEN, " ")))
            >= f.maxTargetQuoteWords()) {
      return Verdict.reject(FilterReason.QUOTES_TARGET);
    }
    try {
      prompts.queryWithRationale("", null, rationale);
    } catch (IllegalArgumentException e) {
      return Verdict.reject(FilterReason.SPECIAL_TOKEN);
    }
    return Verdict.keep(rationale);
  }

  /** Lowercase words: runs of letters and digits. */
  static List<String> words(String text) {
    List<String> out = new ArrayList<>();
    for (String w : NON_WORD.split(text.toLowerCase(Locale.ROOT))) {
      if (!w.isEmpty()) {
        out.add(w);
      }
    }
    return out;
  }

  /** Occurrences of the most frequent {@code n}-word sequence (0 when there are fewer words). */
  static int mostRepeatedNgram(List<String> words, int n) {
    Map<List<String>, Integer> counts = new HashMap<>();
    int most = 0;
    for (int i = 0; i + n <= words.size(); i++) {
      most = Math.max(most, counts.merge(words.subList(i, i + n), 1, Integer::sum));
    }
    return most;
  }

  /** Length of the longest run of consecutive words that {@code a} and {@code b} share. */
  static int longestSharedRun(List<String> a, List<String> b) {
    int[] previous = new int[b.size() + 1];
    int[] current = new int[b.size() + 1];
    int best = 0;
    for (int i = 1; i <= a.size(); i++) {
      for (int j = 1; j <= b.size(); j++) {
        current[j] = a.get(i - 1).equals(b.get(j - 1)) ? previous[j - 1] + 1 : 0;
        best = Math.max(best, current[j]);
      }
      int[] swap = previous;
      previous = current;
      current = swap;
    }
    return best;
  }
}
