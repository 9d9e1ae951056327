package io.rge.data.synth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Rationale reading and accuracy against hand-made rationales with hand-counted answers. */
class RationaleAccuracyTest {
  @Test
  void readsTheFactAndTheLastShapeOfEveryTemplate() {
    assertEquals(
        new RationaleReading("red", "circle", "blue"),
        RationaleReading.of("i see a red circle . shift of red is blue ."));
    assertEquals(
        new RationaleReading("red", null, "blue"),
        RationaleReading.of("the colour is red . shift of red is blue ."));
    // The shape looked for comes last; the fact's colours are not the shape line's.
    assertEquals(
        new RationaleReading("green", "cross", "purple"),
        RationaleReading.of(
            "the left shape is a green square . echo of green is purple . select the purple cross ."));
    assertEquals(
        new RationaleReading("red", "triangle", "blue"),
        RationaleReading.of("shift of red is blue . the blue shape is a triangle ."));
    // An answer-first rationale reads the same.
    assertEquals(
        new RationaleReading("red", "circle", "blue"),
        RationaleReading.of("blue circle . i see a red circle . shift of red is blue ."));
    // Broken generations: no fact, a fact cut off before its answer.
    assertEquals(new RationaleReading(null, "circle", null), RationaleReading.of("i see a circle"));
    assertEquals(new RationaleReading("red", null, null), RationaleReading.of("shift of red is"));
    assertEquals(new RationaleReading(null, null, null), RationaleReading.of(""));
  }

  @Test
  void countsEachPartOverTheRowsThatHaveIt() {
    List<String> oracle =
        List.of(
            "i see a red circle . shift of red is blue .",
            "the colour is green . mirror of green is red .",
            "shift of yellow is green . the green shape is a square .",
            "i see a purple cross . echo of purple is red .");
    List<String> generated =
        List.of(
            "i see a red circle . shift of red is blue .", // all right
            "the colour is blue . mirror of blue is red .", // colour wrong, answer right
            "shift of yellow is green . the green shape is a circle .", // shape wrong
            "i see a purple"); // cut off: colour, shape and answer missing
    RationaleAccuracy a = RationaleAccuracy.of(oracle, generated);
    assertEquals(4, a.rows());
    assertEquals(2.0 / 4, a.colour(), 1e-12);
    assertEquals(3.0 / 4, a.answer(), 1e-12);
    // Three oracle rationales name a shape; the first one is right.
    assertEquals(1.0 / 3, a.shape(), 1e-12);
  }

  @Test
  void refusesMismatchedOrEmptyListsAndOraclesWithoutAFact() {
    assertThrows(
        IllegalArgumentException.class, () -> RationaleAccuracy.of(List.of("a"), List.of()));
    assertThrows(IllegalArgumentException.class, () -> RationaleAccuracy.of(List.of(), List.of()));
    assertThrows(
        IllegalArgumentException.class,
        () -> RationaleAccuracy.of(List.of("i see a red circle ."), List.of("x")));
  }

  @Test
  void answerFirstStatesTheAnswerBeforeTheSameReasoning() {
    String standard = "i see a red circle . shift of red is blue .";
    assertEquals(standard, RationaleStyle.STANDARD.apply(standard));
    assertEquals(
        "blue circle . i see a red circle . shift of red is blue .",
        RationaleStyle.ANSWER_FIRST.apply(standard));
    assertEquals(
        "blue . the colour is red . shift of red is blue .",
        RationaleStyle.ANSWER_FIRST.apply("the colour is red . shift of red is blue ."));
  }
}
