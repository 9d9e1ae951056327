package io.rge.eval.quickstart;

import io.rge.training.objective.ObjectiveMode;
import java.nio.file.Path;

/** Where the quickstart keeps its files under its output folder. */
record QuickstartLayout(Path out) {
  static final String MARKER = "quickstart.json";

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
