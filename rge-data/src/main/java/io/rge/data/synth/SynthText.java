package io.rge.data.synth;

import io.rge.data.mmeb.ImagePlaceholder;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * Every text template of RGE-Synth. Texts are lowercase words separated by single spaces,
 * punctuation as its own word, so a word-level tokenizer over {@link #vocabulary()} (plus the image
 * placeholder) covers them all.
 */
final class SynthText {
  static final String IMAGE = ImagePlaceholder.TOKEN;
  static final String IMAGE_CANDIDATE = IMAGE + " represent this image";
  static final List<String> SIDES = List.of("left", "right");

  private static final List<String> FUNCTION_WORDS =
      List.of(
          "a",
          "after",
          "an",
          "classify",
          "colour",
          "describe",
          "find",
          "for",
          "has",
          "i",
          "image",
          "in",
          "is",
          "its",
          "look",
          "name",
          "of",
          "question",
          "represent",
          "see",
          "select",
          "shape",
          "the",
          "this",
          "what",
          "which",
          "whose",
          ".",
          "?",
          ":");

  private SynthText() {}

  static String label(SynthColour colour, SynthShape shape) {
    return colour.word() + " " + shape.word();
  }

  static String fact(String t, SynthColour c, SynthColour c2) {
    return t + " of " + c.word() + " is " + c2.word() + " .";
  }

  static String factsQuery(String t, SynthColour c) {
    return "what is " + t + " of " + c.word() + " ?";
  }

  static String describeQuery() {
    return IMAGE + " describe this shape";
  }

  static String see(SynthColour c, SynthShape s) {
    return "i see a " + label(c, s) + " .";
  }

  static String shapeShiftQuery(String t) {
    return IMAGE + " classify the " + t + " of this shape";
  }

  static String colorShiftQuery(String t) {
    return IMAGE + " name the " + t + " of this colour";
  }

  static String colorShiftRationale(String t, SynthColour c, SynthColour c2) {
    return "the colour is " + c.word() + " . " + fact(t, c, c2);
  }

  static String sideQaQuery(String t, String side) {
    return IMAGE + " question : what is " + t + " of the colour of the " + side + " shape ?";
  }

  static String sideQaRationale(String side, String t, SynthColour c, SynthColour c2) {
    return "the " + side + " shape is " + c.word() + " . " + fact(t, c, c2);
  }

  static String whichShapeQuery(String t, SynthColour c) {
    return IMAGE + " question : which shape has the colour " + t + " of " + c.word() + " ?";
  }

  static String whichShapeRationale(String t, SynthColour c, SynthColour c2, SynthShape s) {
    return fact(t, c, c2) + " the " + c2.word() + " shape is a " + s.word() + " .";
  }

  static String t2iQuery(SynthShape s, String t, SynthColour c) {
    return "find an image of a " + s.word() + " whose colour is " + t + " of " + c.word();
  }

  static String lookFor(SynthColour c2, SynthShape s) {
    return "i look for a " + label(c2, s) + " .";
  }

  static String composedQuery(String t) {
    return IMAGE + " find this shape in the " + t + " of its colour";
  }

  static String pointingQuery(String t, SynthColour c) {
    return IMAGE + " select the shape whose colour is " + t + " of " + c.word();
  }

  static String select(SynthColour c2, SynthShape s) {
    return "select the " + label(c2, s) + " .";
  }

  static String sideShiftQuery(String side, String t) {
    return IMAGE + " select the " + side + " shape after " + t;
  }

  static String sideShiftRationale(
      String side, String t, SynthColour c, SynthColour c2, SynthShape s) {
    return "the "
        + side
        + " shape is a "
        + label(c, s)
        + " . "
        + fact(t, c, c2)
        + " "
        + select(c2, s);
  }

  /** Every word any RGE-Synth text can contain, sorted; the image placeholder is not included. */
  static SortedSet<String> vocabulary() {
    List<String> words = new ArrayList<>(FUNCTION_WORDS);
    words.addAll(SIDES);
    words.addAll(SynthWorld.TRANSFORMS);
    for (SynthColour colour : SynthColour.values()) {
      words.add(colour.word());
    }
    for (SynthShape shape : SynthShape.values()) {
      words.add(shape.word());
    }
    return Collections.unmodifiableSortedSet(new TreeSet<>(words));
  }
}
