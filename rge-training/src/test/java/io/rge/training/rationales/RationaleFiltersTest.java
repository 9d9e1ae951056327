package io.rge.training.rationales;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Each filter on crafted answers: what it drops, what it keeps, and the count per reason. */
class RationaleFiltersTest {
  private static final String TARGET =
      "<|image_1|> a golden retriever puppy sitting on a green lawn beside a red ball in the"
          + " afternoon sun";

  private static CurationConfig config(String endMarker, CurationConfig.Filters filters) {
    return new CurationConfig(null, "{query} {target}", endMarker, null, 64, 4, filters);
  }

  private static final CurationConfig.Filters ALL_ON =
      new CurationConfig.Filters(true, 20, 3, 2, 6, List.of("i'm sorry", "as an ai"));

  /** Words stand in for tokens: the over-long limit is then countable by hand. */
  private static RationaleFilters filters(CurationConfig c) {
    return new RationaleFilters(
        c, text -> RationaleFilters.words(text).size(), FixtureTeacher.model().prompts());
  }

  private static TeacherOutput out(String text) {
    return new TeacherOutput(text, 10, false);
  }

  @Test
  void eachCraftedAnswerIsCountedUnderItsReason() {
    RationaleFilters f = filters(config("[END]", ALL_ON));
    Map<String, FilterReason> answers =
        Map.ofEntries(
            Map.entry("   ", FilterReason.EMPTY),
            Map.entry("  [END]", FilterReason.EMPTY),
            Map.entry("the dog is golden, so it matches", FilterReason.UNTERMINATED),
            Map.entry("I'm sorry, I cannot see the image. [END]", FilterReason.REFUSAL),
            Map.entry(
                "one two three four five six seven eight nine ten eleven twelve thirteen fourteen"
                    + " fifteen sixteen seventeen eighteen nineteen twenty twentyone [END]",
                FilterReason.OVER_LONG),
            Map.entry("it is a dog it is a dog it is a dog [END]", FilterReason.REPETITIVE),
            Map.entry(
                "The answer: A golden retriever puppy, sitting on a green lawn. [END]",
                FilterReason.QUOTES_TARGET),
            Map.entry("the query asks for <|im_end|> things [END]", FilterReason.SPECIAL_TOKEN));
    EnumMap<FilterReason, Integer> counts = new EnumMap<>(FilterReason.class);
    for (var e : answers.entrySet()) {
      Verdict v = f.judge(out(e.getKey()), TARGET);
      assertEquals(e.getValue(), v.reason(), e.getKey());
      counts.merge(v.reason(), 1, Integer::sum);
    }
    assertEquals(2, counts.get(FilterReason.EMPTY));
    assertEquals(FilterReason.values().length, counts.size(), "every reason is reachable");
  }

  @Test
  void aGoodAnswerIsKeptWithoutItsMarkerAndWhatFollows() {
    RationaleFilters f = filters(config("[END]", ALL_ON));
    Verdict v =
        f.judge(
            out(" The query shows a puppy on grass; a retriever of that colour fits. [END]\nok"),
            TARGET);
    assertNull(v.reason());
    assertEquals(
        "The query shows a puppy on grass; a retriever of that colour fits.", v.rationale());
  }

  @Test
  void withoutAMarkerOnlyTheTokenLimitMakesAnAnswerUnterminated() {
    RationaleFilters f = filters(config(null, ALL_ON));
    assertEquals("a short answer", f.judge(out("a short answer"), TARGET).rationale());
    assertEquals(
        FilterReason.UNTERMINATED,
        f.judge(new TeacherOutput("a short answer", 64, true), TARGET).reason());
  }

  @Test
  void zeroLimitsTurnFiltersOff() {
    RationaleFilters f =
        filters(config(null, new CurationConfig.Filters(false, 0, 3, 0, 0, List.of())));
    String repetitive = "it is a dog it is a dog it is a dog";
    assertEquals(repetitive, f.judge(new TeacherOutput(repetitive, 64, true), TARGET).rationale());
    String quote = "a golden retriever puppy sitting on a green lawn beside a red ball";
    assertEquals(quote, f.judge(out(quote), TARGET).rationale());
  }

  @Test
  void ngramAndSharedRunCountsByHand() {
    List<String> words = RationaleFilters.words("It is a dog, it is a DOG; it is a cat.");
    assertEquals(12, words.size());
    assertEquals(3, RationaleFilters.mostRepeatedNgram(words, 3)); // "it is a" x3
    assertEquals(2, RationaleFilters.mostRepeatedNgram(words, 4)); // "it is a dog" x2
    assertEquals(0, RationaleFilters.mostRepeatedNgram(words, 13));
    assertEquals(
        4,
        RationaleFilters.longestSharedRun(
            RationaleFilters.words("x is a dog it"),
            RationaleFilters.words("dog it is a dog it y")));
  }
}
