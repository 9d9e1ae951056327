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
            List.of(0L), "tiny", 40, 20, 32, 1e-3, 5e-4, 128, 16, 1, 5e-4, true, false);
    for (Variant v : plan.variants()) {
      if (!v.trains()) {
        continue;
      }
      Path run = Files.createDirectories(dir.resolve(v.id()));
      Path config = run.resolve("train.yaml");
      Files.writeString(config, TrainRecipe.yaml(plan, 0, v, run, dir.resolve("synth")));
      TrainConfig c = TrainConfig.load(config);
      assertEquals(60L, c.schedule().totalSteps());
      assertEquals(6, c.schedule().warmupSteps(), "a tenth of a short run");
      assertEquals(v.mode(), c.objectiveSettings().mode(), v.id());
      assertEquals(v.contrastiveWeight(), c.objective().contrastiveWeight().doubleValue(), v.id());
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
