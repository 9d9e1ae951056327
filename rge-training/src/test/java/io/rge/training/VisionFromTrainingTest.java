package io.rge.training;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.rge.core.safetensors.SafetensorsFile;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A run that starts from another run's vision tower ({@code model.vision_from}). */
class VisionFromTrainingTest {
  @TempDir Path dir;

  private static Map<String, float[]> tensors(Path checkpoint) throws Exception {
    Map<String, float[]> out = new TreeMap<>();
    try (SafetensorsFile f = SafetensorsFile.open(checkpoint.resolve("model.safetensors"))) {
      for (String name : f.names()) {
        out.put(name, f.readFloats(name));
      }
    }
    return out;
  }

  @Test
  void aFrozenGraftedTowerIsTheDonorsAndTheLanguageModelIsItsOwn() throws Exception {
    Path donor = new Trainer(TestRuns.config(dir.resolve("donor"))).run(2).finalCheckpoint();
    // Another seed, so that the language model's random start differs from the donor's; the
    // vision side frozen, so that it must still hold the donor's values after training.
    Path grafted =
        new Trainer(
                TestRuns.config(
                    dir.resolve("grafted"),
                    "model.vision_from=" + donor,
                    "trainable=decoder_only",
                    "seed=11"))
            .run(2)
            .finalCheckpoint();
    Map<String, float[]> from = tensors(donor);
    Map<String, float[]> got = tensors(grafted);
    assertEquals(from.keySet(), got.keySet());
    int vision = 0;
    for (String name : got.keySet()) {
      if (name.startsWith("visual.")) {
        vision++;
        assertArrayEquals(from.get(name), got.get(name), name);
      } else {
        assertFalse(Arrays.equals(from.get(name), got.get(name)), name + " is the donor's");
      }
    }
    assertEquals(1 + 12 + 5, vision, "patch embedding, one block, merger");
  }
}
