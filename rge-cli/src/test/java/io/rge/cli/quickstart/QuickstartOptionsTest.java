package io.rge.cli.quickstart;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rge.cli.Cli;
import io.rge.cli.RgeCli;
import io.rge.training.config.TrainConfig;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The quickstart's options: checked before anything runs, and what depends on them derived. */
class QuickstartOptionsTest {
  @TempDir Path dir;

  @Test
  void shortRunsGetAValidTrainingConfig() throws Exception {
    // The case: 40 warm-up + 20 joint steps once failed inside the generated config
    // ("warmup_steps (100) exceeds total_steps (60)").
    QuickstartPlan plan =
        new QuickstartPlan(
            List.of(0L), "tiny", 40, 20, 32, 1e-3, 5e-4, 128, 16, 1, 5e-4, true, false, null);
    for (Variant v : plan.variants()) {
      if (!v.trains()) {
        continue;
      }
      Path run = Files.createDirectories(dir.resolve(v.id()));
      Path config = run.resolve("train.yaml");
      Files.writeString(config, TrainRecipe.yaml(plan, 0, v, run, dir.resolve("synth"), null));
      TrainConfig c = TrainConfig.load(config);
      assertEquals(
          TrainRecipe.config(plan, 0, v, run, dir.resolve("synth"), null).withPaths(in(run)),
          c,
          v.id() + ": the written train.yaml loads back as the recipe");
      assertEquals(60L, c.schedule().totalSteps());
      assertEquals(6, c.schedule().warmupSteps(), "a tenth of a short run");
      assertEquals(v.mode(), c.objectiveSettings().mode(), v.id());
      assertEquals(v.contrastiveWeight(), c.objectiveSettings().contrastiveWeight(), v.id());
      boolean fromScratchBaseline = v.equals(Variant.BASELINE);
      // Every run that has the warm-up restarts its schedule after it, at the joint rate.
      if (fromScratchBaseline) {
        assertEquals(null, c.schedule().restart(), v.id());
        assertEquals(5e-4, (double) c.optimizer().lr(), v.id());
      } else {
        assertEquals(new TrainConfig.Restart(40L, 5e-4), c.schedule().restart(), v.id());
        assertEquals(1e-3, (double) c.optimizer().lr(), v.id());
        // The schedule restarts: the first joint step runs at a tenth of the joint peak (2 of 20
        // steps of linear warm-up), not on the warm-up's cosine tail.
        assertEquals(
            5e-4 / 2, c.schedule().toSchedule(c.optimizer().lr(), 60).at(40), 1e-12, v.id());
      }
    }
    assertEquals(100, QuickstartPlan.defaults(1, 1).scheduleWarmupSteps(), "the defaults' value");
  }

  @Test
  void pretrainedRunsStartFromThePretrainingCheckpoint() throws Exception {
    Pretraining p = Pretraining.DEFAULT;
    QuickstartPlan plan =
        new QuickstartPlan(
            List.of(0L), "small", 1000, 300, 32, 1e-3, 5e-4, 128, 16, 1, 5e-4, false, false, p);
    assertTrue(plan.variants().contains(Variant.BASELINE_VISION_ONLY), "both baselines");
    QuickstartLayout layout = new QuickstartLayout(dir.resolve("qs"));
    Path start = layout.pretrainedModel(p);
    assertEquals(
        layout.pretrain().resolve("checkpoints").resolve("step-00001000"),
        start,
        "the checkpoint of the last pretraining step");
    for (Variant v : plan.variants()) {
      Path run = Files.createDirectories(layout.run(0, v));
      Path config = run.resolve("train.yaml");
      Files.writeString(config, TrainRecipe.yaml(plan, 0, v, run, layout.synth(0), start));
      TrainConfig c = TrainConfig.load(config);
      assertEquals(
          TrainRecipe.config(plan, 0, v, run, layout.synth(0), start).withPaths(in(run)),
          c,
          v.id() + ": the written train.yaml loads back as the recipe");
      if (v.visionOnly()) {
        assertEquals("tiny", c.model().preset(), v.id() + " is random but for its vision tower");
        assertEquals(start, Path.of(c.model().visionFrom()).normalize(), v.id());
      } else {
        assertEquals(
            start, Path.of(c.model().path()).normalize(), v.id() + " loads the pretrained model");
        assertEquals(null, c.model().preset(), v.id());
      }
      assertEquals(1300L, c.schedule().totalSteps(), v.id() + " has the usual steps");
    }

    // The pretraining itself: the tiny preset, the LM loss on the description rows alone, every
    // step LM-only, seed 0, on the 1,500-step schedule (its checkpoint at 1,000 is the start).
    Path run = Files.createDirectories(layout.pretrain());
    Path config = run.resolve("train.yaml");
    Files.writeString(config, TrainRecipe.pretraining(plan, p, run, layout.pretrainSynth()));
    TrainConfig c = TrainConfig.load(config);
    assertEquals(
        TrainRecipe.pretrainingConfig(plan, p, run, layout.pretrainSynth()).withPaths(in(run)), c);
    assertEquals("tiny", c.model().preset());
    assertEquals(128, c.model().tiny().hiddenSize());
    assertEquals(
        List.of(io.rge.data.synth.RgeSynth.DESCRIBE),
        c.data().subsets().stream().map(TrainConfig.Subset::name).toList());
    assertEquals(
        layout.pretrainSynth().resolve("train"),
        Path.of(c.data().trainRoot()).normalize(),
        "its own data");
    assertEquals(1500L, c.schedule().totalSteps());
    assertEquals(1500L, (long) c.objective().lmWarmupSteps(), "LM-only throughout");
    assertEquals(0L, (long) c.seed());
    assertEquals(500, (int) c.checkpoint().every());
  }

  @Test
  void perceptionConfigIsThePretrainingByHand() {
    // configs/perception-tiny-synth.yaml documents the pretraining for scripts/rge train: its
    // settings are the quickstart's (paths aside), so its step-1,000 checkpoint is the same start.
    Path root = Path.of("..").toAbsolutePath().normalize();
    TrainConfig byHand = TrainConfig.load(root.resolve("configs/perception-tiny-synth.yaml"));
    QuickstartPlan plan = QuickstartPlan.defaults(1, 1);
    Path run = dir.resolve("pretrain");
    TrainConfig recipe =
        TrainConfig.load(
            write(
                run.resolve("train.yaml"),
                TrainRecipe.pretraining(plan, Pretraining.DEFAULT, run, dir.resolve("synth"))));
    assertEquals(recipe.withPaths(p -> "PATH"), byHand.withPaths(p -> "PATH"), "all but paths");
    assertTrue(
        byHand.data().trainRoot().endsWith("data/rge-synth-medium/train"),
        "by hand it reads `scripts/rge data synth --size medium` output: " + byHand.data());
  }

  /** Resolves a config's paths against {@code folder}, as loading the file there does. */
  private static java.util.function.UnaryOperator<String> in(Path folder) {
    return p -> folder.toAbsolutePath().resolve(p).normalize().toString();
  }

  private static Path write(Path file, String text) {
    try {
      Files.createDirectories(file.getParent());
      return Files.writeString(file, text);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @Test
  void impossibleOptionsAreUsageErrorsBeforeAnythingRuns() {
    Path out = dir.resolve("qs");
    String[][] cases = {
      {"--joint-steps", "3"},
      {"--warmup-steps", "-1"},
      {"--size", "huge"},
      {"--seeds", "0"},
    };
    String[] expected = {
      "joint steps must be even",
      "warm-up >= 0 and joint > 0",
      "unknown size 'huge'; expected one of [tiny, small, medium]",
      "--seeds must be >= 1",
    };
    for (int i = 0; i < cases.length; i++) {
      StringWriter err = new StringWriter();
      String[] args = new String[cases[i].length + 3];
      args[0] = "quickstart";
      args[1] = "--out";
      args[2] = out.toString();
      System.arraycopy(cases[i], 0, args, 3, cases[i].length);
      int code =
          Cli.run(new RgeCli(), new PrintWriter(new StringWriter()), new PrintWriter(err), args);
      assertEquals(2, code, String.join(" ", args) + ": " + err);
      assertTrue(err.toString().contains(expected[i]), err.toString());
      assertFalse(Files.exists(out), "nothing was written");
    }
  }
}
