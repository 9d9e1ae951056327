package io.rge.data.synth;

import java.util.List;

/** What an RGE-Synth image shows. */
sealed interface Scene {
  /**
   * Height of every image and width of all but the three-shape scenes: 56 px = 4 x 4 Qwen2.5-VL
   * patches of 14 (4 image tokens after the 2 x 2 merge).
   */
  int SIZE = 56;

  /** Width of three-shape scenes: 84 px = 6 x 4 patches (6 image tokens), a third per shape. */
  int WIDE = 84;

  /**
   * A candidate image: one shape centred at a canonical size. Deterministic, so each (colour,
   * shape) is one shared file.
   */
  record Crop(SynthColour colour, SynthShape shape) implements Scene {
    String path() {
      return "crops/" + colour.word() + "_" + shape.word() + ".png";
    }
  }

  /**
   * A query image {@code width} x {@link #SIZE} pixels: shapes at random sizes and positions over a
   * noisy background.
   */
  record Placed(List<PlacedShape> shapes, long noiseSeed, int width) implements Scene {
    public Placed {
      shapes = List.copyOf(shapes);
    }
  }

  /** One shape of a {@link Placed} scene: centre (x, y) in pixels and half-size r. */
  record PlacedShape(SynthColour colour, SynthShape shape, double x, double y, double r) {}
}
