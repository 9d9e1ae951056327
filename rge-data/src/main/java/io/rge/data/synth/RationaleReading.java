package io.rge.data.synth;

import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * What an RGE-Synth rationale says, read from its words: the colour its fact starts from, the
 * colour the fact gives (the answer), and the shape it names last. Every RGE-Synth rationale
 * template holds exactly one fact "{t} of {c} is {c2} ." (see {@link SynthText}); the shape words
 * name the shape that is looked for, so the last one is the one the query is about. A generated
 * rationale is read with the same rule, so it can be compared with the oracle one word for word.
 *
 * @param colour the fact's input colour (what the model saw, or the colour the query names); null
 *     when the rationale has no "{t} of {c} is" fact
 * @param shape the last shape word; null when there is none
 * @param answer the fact's output colour; null when the fact has none
 */
public record RationaleReading(String colour, String shape, String answer) {
  private static final Set<String> COLOURS = words(SynthColour.values());
  private static final Set<String> SHAPES = words(SynthShape.values());

  /** Reads {@code rationale}: lowercase words separated by spaces (extra whitespace is ignored). */
  public static RationaleReading of(String rationale) {
    List<String> w = List.of(rationale.toLowerCase(Locale.ROOT).trim().split("\\s+"));
    String colour = null;
    String answer = null;
    // The first "{transform} of {colour} is {colour}" in the text.
    for (int i = 0; i + 3 < w.size() && colour == null; i++) {
      if (SynthWorld.TRANSFORMS.contains(w.get(i))
          && w.get(i + 1).equals("of")
          && COLOURS.contains(w.get(i + 2))
          && w.get(i + 3).equals("is")) {
        colour = w.get(i + 2);
        answer = i + 4 < w.size() && COLOURS.contains(w.get(i + 4)) ? w.get(i + 4) : null;
      }
    }
    String shape = null;
    for (String word : w) {
      if (SHAPES.contains(word)) {
        shape = word;
      }
    }
    return new RationaleReading(colour, shape, answer);
  }

  private static Set<String> words(Enum<?>[] values) {
    Set<String> out = new TreeSet<>();
    for (Enum<?> v : values) {
      out.add(v.name().toLowerCase(Locale.ROOT));
    }
    return out;
  }
}
