package io.rge.cli.docs;

import io.rge.core.CheckpointFolderWriter;
import io.rge.core.DeviceChoice;
import io.rge.core.LoadOptions;
import io.rge.core.RgeModel;
import io.rge.core.preset.TinyPreset;
import io.rge.data.synth.RgeSynth;
import io.rge.data.synth.SynthSize;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;

/**
 * A stand-in for the quickstart's output under a folder: RGE-Synth data and a model checkpoint at
 * the paths the README's examples use (an untrained tiny model: the examples' API is what is
 * tested, not the numbers).
 */
final class ReadmeFixtures {
  static final String CHECKPOINT = "seed-0/rge/checkpoints/step-00001300";

  private ReadmeFixtures() {}

  /** Creates {@code root/data/seed-0} (tiny RGE-Synth) and {@code root/CHECKPOINT}. */
  static void create(Path root) throws Exception {
    RgeSynth.generate(root.resolve("data/seed-0"), 0, SynthSize.TINY, false);
    Path checkpoint = root.resolve(CHECKPOINT);
    Files.createDirectories(checkpoint.getParent());
    TinyPreset preset = TinyPreset.create(new ArrayList<>(RgeSynth.vocabulary()));
    try (RgeModel model =
        RgeModel.load(
            LoadOptions.builder().setPreset(preset, 0).optDevice(DeviceChoice.CPU).build())) {
      CheckpointFolderWriter.of(model).write(checkpoint);
    }
  }
}
