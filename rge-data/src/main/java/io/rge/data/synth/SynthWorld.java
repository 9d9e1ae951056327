package io.rge.data.synth;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * The facts of one RGE-Synth world, drawn from the seed: six transforms, each a derangement of the
 * eight colours (no colour maps to itself, so the untransformed colour is always a wrong answer),
 * and 12 of the 48 (transform, colour) pairs held out of every training task (two per transform,
 * each colour held out at most twice).
 */
public final class SynthWorld {
  /** The transform names, in table order. */
  public static final List<String> TRANSFORMS =
      List.of("mirror", "shift", "twin", "flip", "echo", "spin");

  static final int HELD_OUT_PER_TRANSFORM = 2;

  private final Map<String, EnumMap<SynthColour, SynthColour>> table = new LinkedHashMap<>();
  private final Set<TransformPair> heldOut = new LinkedHashSet<>();

  private SynthWorld(SplittableRandom random) {
    Set<List<SynthColour>> used = new HashSet<>();
    for (String transform : TRANSFORMS) {
      List<SynthColour> image;
      do {
        image = derangement(random);
      } while (!used.add(image));
      EnumMap<SynthColour, SynthColour> mapping = new EnumMap<>(SynthColour.class);
      for (SynthColour colour : SynthColour.values()) {
        mapping.put(colour, image.get(colour.ordinal()));
      }
      table.put(transform, mapping);
    }
    drawHeldOut(random);
  }

  /** The world of {@code seed}; the same seed always gives the same world. */
  public static SynthWorld fromSeed(long seed) {
    return new SynthWorld(new SplittableRandom(Seeds.derive(seed, "world")));
  }

  /** {@code transform} applied to {@code colour}. */
  public SynthColour apply(String transform, SynthColour colour) {
    EnumMap<SynthColour, SynthColour> mapping = table.get(transform);
    if (mapping == null) {
      throw new IllegalArgumentException(
          "unknown transform '" + transform + "'; known: " + TRANSFORMS);
    }
    return mapping.get(colour);
  }

  public boolean isHeldOut(String transform, SynthColour colour) {
    return heldOut.contains(new TransformPair(transform, colour.word()));
  }

  /** The 12 held-out pairs, by transform. */
  public List<TransformPair> heldOutPairs() {
    return List.copyOf(heldOut);
  }

  /** The 36 pairs training tasks use, by transform then colour. */
  public List<TransformPair> seenPairs() {
    List<TransformPair> seen = new ArrayList<>();
    for (TransformPair pair : allPairs()) {
      if (!heldOut.contains(pair)) {
        seen.add(pair);
      }
    }
    return seen;
  }

  /** All 48 pairs, by transform then colour. */
  public List<TransformPair> allPairs() {
    List<TransformPair> all = new ArrayList<>();
    for (String transform : TRANSFORMS) {
      for (SynthColour colour : SynthColour.values()) {
        all.add(new TransformPair(transform, colour.word()));
      }
    }
    return all;
  }

  /** transform -> (colour word -> colour word), for the manifest. */
  public Map<String, Map<String, String>> table() {
    Map<String, Map<String, String>> out = new LinkedHashMap<>();
    table.forEach(
        (transform, mapping) -> {
          Map<String, String> words = new LinkedHashMap<>();
          mapping.forEach((from, to) -> words.put(from.word(), to.word()));
          out.put(transform, words);
        });
    return out;
  }

  private static List<SynthColour> derangement(SplittableRandom random) {
    List<SynthColour> colours = new ArrayList<>(List.of(SynthColour.values()));
    while (true) {
      Seeds.shuffle(colours, random);
      boolean fixedPoint = false;
      for (int i = 0; i < colours.size(); i++) {
        fixedPoint |= colours.get(i).ordinal() == i;
      }
      if (!fixedPoint) {
        return List.copyOf(colours);
      }
    }
  }

  private void drawHeldOut(SplittableRandom random) {
    int perColourLimit =
        (TRANSFORMS.size() * HELD_OUT_PER_TRANSFORM + SynthColour.values().length - 1)
            / SynthColour.values().length;
    while (true) {
      heldOut.clear();
      int[] perColour = new int[SynthColour.values().length];
      boolean ok = true;
      for (String transform : TRANSFORMS) {
        List<SynthColour> colours = new ArrayList<>(List.of(SynthColour.values()));
        Seeds.shuffle(colours, random);
        int taken = 0;
        for (SynthColour colour : colours) {
          if (taken < HELD_OUT_PER_TRANSFORM && perColour[colour.ordinal()] < perColourLimit) {
            heldOut.add(new TransformPair(transform, colour.word()));
            perColour[colour.ordinal()]++;
            taken++;
          }
        }
        ok &= taken == HELD_OUT_PER_TRANSFORM;
      }
      if (ok) {
        return;
      }
    }
  }
}
