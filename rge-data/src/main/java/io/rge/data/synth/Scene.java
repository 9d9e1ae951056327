package io.rge.data.synth;

import java.util.List;

/** What an RGE-Synth image shows. */
sealed interface Scene {
  /**
   * Side length of every image: 56 px = 4 x 4 Qwen2.5-VL patches of 14 after the 2 x 2 merge (4
   * image tokens).
   */
  int SIZE = 56;

  /**
   * A candidate image: one shape centred at a canonical size. Deterministic, so each (colour,
   * shape) is one shared file.
   */
  record Crop(SynthColour colour, SynthShape shape) implements Scene {
    String path() {
      return "crops/" + colour.word() + "_" + shape.word() + ".png";
    }
  }

  /** A query image: shapes at random sizes and positions over a noisy background. */
  record Placed(List<PlacedShape> shapes, long noiseSeed) implements Scene {
    public Placed {
      shapes = List.copyOf(shapes);
    }
  }

  /** One shape of a {@link Placed} scene: centre (x, y) in pixels and half-size r. */
  record PlacedShape(SynthColour colour, SynthShape shape, double x, double y, double r) {}
}
