package io.rge.cli.quickstart;

import io.rge.training.Trainer;
import io.rge.training.checkpoint.CheckpointStore;
import io.rge.training.objective.ObjectiveMode;
import java.nio.file.Path;

/** Where the quickstart keeps its files under its output folder. */
record QuickstartLayout(Path out) {
  static final String MARKER = "quickstart.json";
  static final String SEEN = "seen";
  static final String HELD_OUT = "held-out";

  /** Where a run's evaluation of its checkpoint at {@code step} on {@code split} goes. */
  static Path evalDir(Path run, long step, String split) {
    Path checkpoint = new CheckpointStore(run.resolve(Trainer.CHECKPOINTS)).folderFor(step);
    return run.resolve("eval").resolve(checkpoint.getFileName().toString()).resolve(split);
  }

  Path synth(long seed) {
    return out.resolve("data").resolve("seed-" + seed);
  }

  Path run(long seed, ObjectiveMode mode) {
    return out.resolve("seed-" + seed).resolve(mode.id());
  }

  Path logs() {
    return out.resolve("logs");
  }

  Path marker() {
    return out.resolve(MARKER);
  }
}
