package io.rge.cli.quickstart;

import io.rge.data.synth.SynthSize;

/**
 * The quickstart's stand-in for a pretrained VLM ({@code --pretrained}): before any mode trains,
 * the tiny model learns to describe images with the LM loss on RGE-Synth's description rows alone
 * ("i see a red cross ."), and every mode starts from that checkpoint, vision tower and language
 * model, instead of random weights. Description rows name no transform, so nothing about the
 * held-out pairs is learned; the data is generated with seed {@link #SEED} for every run's seed, as
 * one pretrained backbone serves every run of the paper.
 *
 * <p>The defaults ({@link #DEFAULT}) are those measured in the README: 3,000 images ({@code
 * medium}; 600 are memorised), and the checkpoint of step 1,000 of a 1,500-step schedule, which
 * names the shape of 69 of 100 unseen images. Only this checkpoint was measured as a whole-model
 * start. {@code configs/perception-tiny-synth.yaml} is the same run by hand.
 *
 * @param synthSize RGE-Synth size preset of the description rows (their images are the point)
 * @param steps optimizer steps trained; every mode starts from the checkpoint at this step
 * @param scheduleSteps length of the learning-rate schedule (warm-up, then cosine decay)
 */
public record Pretraining(String synthSize, int steps, int scheduleSteps) {
  /** The seed of the pretraining data and model, whatever the runs' seeds. */
  static final long SEED = 0;

  public static final Pretraining DEFAULT = new Pretraining("medium", 1000, 1500);

  public Pretraining {
    SynthSize.preset(synthSize); // names the presets when there is no such one
    if (steps < 2 || scheduleSteps < steps) {
      throw new IllegalArgumentException(
          "pretraining steps must be >= 2 and within the schedule, got "
              + steps
              + " of "
              + scheduleSteps);
    }
  }

  /** Steps between its checkpoints: the last is {@link #steps}, so runs can start from it. */
  int checkpointEvery() {
    return steps / 2;
  }
}
