package io.rge.data.synth;

import io.rge.data.synth.SynthExample.Candidate;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Generates the rows of each RGE-Synth dataset for a given (transform, colour) composition. Every
 * task puts the "one-pass trap" among the negatives: the answer for the untransformed colour.
 */
final class TaskExamples {
  private static final SynthColour[] COLOURS = SynthColour.values();
  private static final SynthShape[] SHAPES = SynthShape.values();
  private static final double THIRD = Scene.WIDE / 3.0;
  private static final double HALF = Scene.SIZE / 2.0;

  private final SynthWorld world;

  TaskExamples(SynthWorld world) {
    this.world = world;
  }

  /**
   * A row of {@code task} asking about {@code pair}, with {@code k} candidates where the task's
   * pool allows.
   */
  SynthExample example(SynthTask task, TransformPair pair, SplittableRandom random, int k) {
    String t = pair.transform();
    SynthColour c = pair.synthColour();
    SynthColour c2 = world.apply(t, c);
    return switch (task) {
      case SHAPE_SHIFT -> shapeShift(pair, t, c, c2, random, k);
      case COLOR_SHIFT -> colorShift(pair, t, c, c2, random, k);
      case SIDE_QA -> sideQa(pair, t, c, c2, random, k);
      case WHICH_SHAPE -> whichShape(pair, t, c, c2, random, k);
      case T2I -> t2i(pair, t, c, c2, random, k);
      case COMPOSED_I2I -> composed(pair, t, c, c2, random, k);
      case POINTING -> pointing(pair, t, c, c2, random, k);
      case SIDE_SHIFT -> sideShift(pair, t, c, c2, random, k);
    };
  }

  /** "describe this shape" -> "{c} {s}". */
  SynthExample describe(SplittableRandom random) {
    SynthColour c = pick(COLOURS, random);
    SynthShape s = pick(SHAPES, random);
    return new SynthExample(
        SynthText.describeQuery(),
        single(c, s, random),
        List.of(Candidate.text(SynthText.label(c, s))),
        SynthText.see(c, s),
        null,
        null);
  }

  /** "what is {t} of {c} ?" -> "{t(c)}". */
  SynthExample fact(TransformPair pair) {
    SynthColour c = pair.synthColour();
    SynthColour c2 = world.apply(pair.transform(), c);
    return new SynthExample(
        SynthText.factsQuery(pair.transform(), c),
        null,
        List.of(Candidate.text(c2.word())),
        SynthText.fact(pair.transform(), c, c2),
        null,
        pair);
  }

  private SynthExample shapeShift(
      TransformPair pair, String t, SynthColour c, SynthColour c2, SplittableRandom random, int k) {
    SynthShape s = pick(SHAPES, random);
    List<String> traps = new ArrayList<>();
    traps.add(SynthText.label(c, s));
    for (SynthShape other : others(s, 2, random)) {
      traps.add(SynthText.label(c2, other));
    }
    for (String otherTransform : otherTransforms(t, 2, random)) {
      traps.add(SynthText.label(world.apply(otherTransform, c), s));
    }
    List<String> pool = new ArrayList<>();
    for (SynthColour colour : COLOURS) {
      for (SynthShape shape : SHAPES) {
        pool.add(SynthText.label(colour, shape));
      }
    }
    List<String> labels = assemble(SynthText.label(c2, s), traps, pool, k, random);
    return new SynthExample(
        SynthText.shapeShiftQuery(t),
        single(c, s, random),
        texts(labels),
        SynthText.see(c, s) + " " + SynthText.fact(t, c, c2),
        Candidate.text(SynthText.label(c, s)),
        pair);
  }

  private SynthExample colorShift(
      TransformPair pair, String t, SynthColour c, SynthColour c2, SplittableRandom random, int k) {
    SynthShape s = pick(SHAPES, random);
    List<String> words = assemble(c2.word(), List.of(c.word()), colourWords(), k, random);
    return new SynthExample(
        SynthText.colorShiftQuery(t),
        single(c, s, random),
        texts(words),
        SynthText.colorShiftRationale(t, c, c2),
        null,
        pair);
  }

  private SynthExample sideQa(
      TransformPair pair, String t, SynthColour c, SynthColour c2, SplittableRandom random, int k) {
    String side = SynthText.SIDES.get(random.nextInt(2));
    SynthColour other = pickOther(c, random);
    Scene.Placed scene =
        side.equals("left")
            ? two(c, pick(SHAPES, random), other, pick(SHAPES, random), random)
            : two(other, pick(SHAPES, random), c, pick(SHAPES, random), random);
    List<String> traps = List.of(c.word(), world.apply(t, other).word(), other.word());
    List<String> words = assemble(c2.word(), traps, colourWords(), k, random);
    return new SynthExample(
        SynthText.sideQaQuery(t, side),
        scene,
        texts(words),
        SynthText.sideQaRationale(side, t, c, c2),
        null,
        pair);
  }

  private SynthExample whichShape(
      TransformPair pair, String t, SynthColour c, SynthColour c2, SplittableRandom random, int k) {
    SynthShape s = pick(SHAPES, random);
    SynthShape otherShape = others(s, 1, random).get(0);
    // Half the rows show the untransformed colour as the other shape: the trap for one-pass
    // matching.
    SynthColour otherColour = random.nextBoolean() ? c : pickOther(c2, random);
    Scene.Placed scene =
        random.nextBoolean()
            ? two(c2, s, otherColour, otherShape, random)
            : two(otherColour, otherShape, c2, s, random);
    List<String> shapeWords = new ArrayList<>();
    for (SynthShape shape : SHAPES) {
      shapeWords.add(shape.word());
    }
    List<String> words = assemble(s.word(), List.of(otherShape.word()), shapeWords, k, random);
    return new SynthExample(
        SynthText.whichShapeQuery(t, c),
        scene,
        texts(words),
        SynthText.whichShapeRationale(t, c, c2, s),
        null,
        pair);
  }

  private SynthExample t2i(
      TransformPair pair, String t, SynthColour c, SynthColour c2, SplittableRandom random, int k) {
    SynthShape s = pick(SHAPES, random);
    return new SynthExample(
        SynthText.t2iQuery(s, t, c),
        null,
        recolourCandidates(t, c, c2, s, random, k),
        SynthText.fact(t, c, c2) + " " + SynthText.lookFor(c2, s),
        null,
        pair);
  }

  private SynthExample composed(
      TransformPair pair, String t, SynthColour c, SynthColour c2, SplittableRandom random, int k) {
    SynthShape s = pick(SHAPES, random);
    return new SynthExample(
        SynthText.composedQuery(t),
        single(c, s, random),
        recolourCandidates(t, c, c2, s, random, k),
        SynthText.see(c, s) + " " + SynthText.fact(t, c, c2) + " " + SynthText.lookFor(c2, s),
        null,
        pair);
  }

  private SynthExample pointing(
      TransformPair pair, String t, SynthColour c, SynthColour c2, SplittableRandom random, int k) {
    SynthShape s = pick(SHAPES, random);
    List<SynthColour> otherColours = new ArrayList<>();
    if (random.nextBoolean()) {
      otherColours.add(c);
    }
    while (otherColours.size() < 2) {
      SynthColour colour = pick(COLOURS, random);
      if (colour != c2 && !otherColours.contains(colour)) {
        otherColours.add(colour);
      }
    }
    List<Scene.Crop> inImage = new ArrayList<>();
    inImage.add(new Scene.Crop(c2, s));
    for (SynthColour colour : otherColours) {
      inImage.add(new Scene.Crop(colour, pick(SHAPES, random)));
    }
    List<Scene.Crop> slots = new ArrayList<>(inImage);
    Seeds.shuffle(slots, random);
    Scene.Placed scene = three(slots, random);

    // The image's two other shapes come first (k >= 5 keeps them), then traps that are not in the
    // image: the
    // target shape in the untransformed colour, and the target colour on other shapes.
    List<Scene.Crop> priority = new ArrayList<>(inImage.subList(1, 3));
    List<Scene.Crop> traps = new ArrayList<>();
    traps.add(new Scene.Crop(c, s));
    for (SynthShape other : others(s, 3, random)) {
      traps.add(new Scene.Crop(c2, other));
    }
    for (Scene.Crop trap : traps) {
      if (!inImage.contains(trap)) {
        priority.add(trap);
      }
    }
    List<Scene.Crop> pool = new ArrayList<>(allCrops());
    pool.removeAll(inImage);
    List<Scene.Crop> crops = assemble(inImage.get(0), priority, pool, k, random);
    return new SynthExample(
        SynthText.pointingQuery(t, c),
        scene,
        images(crops),
        SynthText.fact(t, c, c2) + " " + SynthText.select(c2, s),
        null,
        pair);
  }

  private SynthExample sideShift(
      TransformPair pair, String t, SynthColour c, SynthColour c2, SplittableRandom random, int k) {
    String side = SynthText.SIDES.get(random.nextInt(2));
    SynthShape s = pick(SHAPES, random);
    SynthColour other = pickOther(c, random);
    SynthShape otherShape = pick(SHAPES, random);
    Scene.Placed scene =
        side.equals("left")
            ? two(c, s, other, otherShape, random)
            : two(other, otherShape, c, s, random);
    List<Scene.Crop> traps = new ArrayList<>();
    traps.add(new Scene.Crop(c, s));
    traps.add(new Scene.Crop(other, otherShape));
    traps.add(new Scene.Crop(world.apply(t, other), otherShape));
    for (SynthShape shape : others(s, 1, random)) {
      traps.add(new Scene.Crop(c2, shape));
    }
    List<Scene.Crop> crops = assemble(new Scene.Crop(c2, s), traps, allCrops(), k, random);
    return new SynthExample(
        SynthText.sideShiftQuery(side, t),
        scene,
        images(crops),
        SynthText.sideShiftRationale(side, t, c, c2, s),
        null,
        pair);
  }

  /**
   * Crops for "{s} in colour t(c)": the untransformed crop, other shapes in t(c), other transforms
   * of c.
   */
  private List<Candidate> recolourCandidates(
      String t, SynthColour c, SynthColour c2, SynthShape s, SplittableRandom random, int k) {
    List<Scene.Crop> traps = new ArrayList<>();
    traps.add(new Scene.Crop(c, s));
    for (SynthShape other : others(s, 2, random)) {
      traps.add(new Scene.Crop(c2, other));
    }
    for (String otherTransform : otherTransforms(t, 1, random)) {
      traps.add(new Scene.Crop(world.apply(otherTransform, c), s));
    }
    return images(assemble(new Scene.Crop(c2, s), traps, allCrops(), k, random));
  }

  /**
   * The positive first, then the traps (in order, as many as fit), then random fill from the pool,
   * up to {@code k} distinct items (fewer when the pool is smaller); the negatives' order is then
   * shuffled.
   */
  static <T> List<T> assemble(
      T positive, List<T> traps, List<T> pool, int k, SplittableRandom random) {
    Set<T> chosen = new LinkedHashSet<>();
    chosen.add(positive);
    for (T trap : traps) {
      if (chosen.size() < k) {
        chosen.add(trap);
      }
    }
    List<T> fill = new ArrayList<>(pool);
    Seeds.shuffle(fill, random);
    for (T item : fill) {
      if (chosen.size() >= k) {
        break;
      }
      chosen.add(item);
    }
    List<T> out = new ArrayList<>(chosen);
    List<T> negatives = out.subList(1, out.size());
    Seeds.shuffle(negatives, random);
    return out;
  }

  private static List<Candidate> texts(List<String> values) {
    return values.stream().map(Candidate::text).toList();
  }

  private static List<Candidate> images(List<Scene.Crop> crops) {
    return crops.stream().map(Candidate::image).toList();
  }

  private static List<String> colourWords() {
    List<String> words = new ArrayList<>();
    for (SynthColour colour : COLOURS) {
      words.add(colour.word());
    }
    return words;
  }

  static List<Scene.Crop> allCrops() {
    List<Scene.Crop> crops = new ArrayList<>();
    for (SynthColour colour : COLOURS) {
      for (SynthShape shape : SHAPES) {
        crops.add(new Scene.Crop(colour, shape));
      }
    }
    return crops;
  }

  private static Scene.Placed single(SynthColour c, SynthShape s, SplittableRandom random) {
    // Large shapes: a tiny vision tower trained from scratch learns colour and shape quickly only
    // when the shape covers a good part of the image.
    double r = random.nextDouble(14, 21);
    double x = random.nextDouble(r + 1, Scene.SIZE - r - 1);
    double y = random.nextDouble(r + 1, Scene.SIZE - r - 1);
    return new Scene.Placed(
        List.of(new Scene.PlacedShape(c, s, x, y, r)), random.nextLong(), Scene.SIZE);
  }

  private static Scene.Placed two(
      SynthColour leftColour,
      SynthShape leftShape,
      SynthColour rightColour,
      SynthShape rightShape,
      SplittableRandom random) {
    return new Scene.Placed(
        List.of(
            placed(leftColour, leftShape, 0, HALF, 9, 13, random),
            placed(rightColour, rightShape, HALF, Scene.SIZE, 9, 13, random)),
        random.nextLong(),
        Scene.SIZE);
  }

  private static Scene.Placed three(List<Scene.Crop> slots, SplittableRandom random) {
    List<Scene.PlacedShape> shapes = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      Scene.Crop slot = slots.get(i);
      shapes.add(placed(slot.colour(), slot.shape(), i * THIRD, (i + 1) * THIRD, 9, 13, random));
    }
    return new Scene.Placed(shapes, random.nextLong(), Scene.WIDE);
  }

  /** A shape whose whole extent stays within columns [from, to). */
  private static Scene.PlacedShape placed(
      SynthColour colour,
      SynthShape shape,
      double from,
      double to,
      double minR,
      double maxR,
      SplittableRandom random) {
    double r = random.nextDouble(minR, maxR);
    double x = random.nextDouble(from + r + 0.5, to - r - 0.5);
    double y = random.nextDouble(r + 1, Scene.SIZE - r - 1);
    return new Scene.PlacedShape(colour, shape, x, y, r);
  }

  private static <T> T pick(T[] values, SplittableRandom random) {
    return values[random.nextInt(values.length)];
  }

  private static SynthColour pickOther(SynthColour not, SplittableRandom random) {
    SynthColour colour;
    do {
      colour = pick(COLOURS, random);
    } while (colour == not);
    return colour;
  }

  private static List<SynthShape> others(SynthShape not, int count, SplittableRandom random) {
    List<SynthShape> rest = new ArrayList<>(EnumSet.complementOf(EnumSet.of(not)));
    Seeds.shuffle(rest, random);
    return rest.subList(0, Math.min(count, rest.size()));
  }

  private static List<String> otherTransforms(String not, int count, SplittableRandom random) {
    List<String> rest = new ArrayList<>(SynthWorld.TRANSFORMS);
    rest.remove(not);
    Seeds.shuffle(rest, random);
    return rest.subList(0, count);
  }
}
