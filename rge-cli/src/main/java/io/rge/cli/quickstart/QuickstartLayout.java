package io.rge.cli.quickstart;

import io.rge.training.Trainer;
import io.rge.training.checkpoint.CheckpointStore;
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

  Path run(long seed, Variant variant) {
    return out.resolve("seed-" + seed).resolve(variant.id());
  }

  /** The folder whose checkpoints a variant's evaluation reads: its own, or the one it borrows. */
  Path checkpointsOf(long seed, Variant variant) {
    return out.resolve("seed-" + seed)
        .resolve(variant.trains() ? variant.id() : variant.checkpointsOf());
  }

  /**
   * The shared LM-only warm-up's checkpoint, kept apart from the rge run (which prunes its old
   * checkpoints) so that runs added later, such as the ablations, still start from it.
   */
  Path warmup(long seed) {
    return out.resolve("seed-" + seed).resolve("warm-up");
  }

  /** RGE-Synth of the {@link Pretraining} run (its description rows), shared by every seed. */
  Path pretrainSynth() {
    return out.resolve("data").resolve("pretrain");
  }

  /** The {@link Pretraining} run, shared by every seed. */
  Path pretrain() {
    return out.resolve("pretrain");
  }

  /** The checkpoint every mode starts from under {@code --pretrained}. */
  Path pretrainedModel(Pretraining pretraining) {
    return new CheckpointStore(pretrain().resolve(Trainer.CHECKPOINTS))
        .folderFor(pretraining.steps());
  }

  Path logs() {
    return out.resolve("logs");
  }

  Path marker() {
    return out.resolve(MARKER);
  }
}
