package io.rge.cli.quickstart;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rge.core.config.ConfigLoader;
import io.rge.core.config.LoadedConfig;
import io.rge.eval.EvalConfig;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * {@code configs/eval-synth.yaml} is the quickstart's evaluation by hand: the same settings (new
 * tokens, batch sizes, reasoning) and paths that fit the quickstart's default output layout.
 */
class EvalSynthConfigTest {
  @Test
  void evalSynthHasTheQuickstartsSettingsAndLayout() {
    Path root = Path.of("..").toAbsolutePath().normalize();
    LoadedConfig<EvalConfig> loaded =
        ConfigLoader.load(root.resolve("configs/eval-synth.yaml"), EvalConfig.class);
    EvalConfig c = loaded.config();
    QuickstartPlan plan = QuickstartPlan.defaults(1, 1);
    assertEquals(plan.maxNewTokens(), c.maxNewTokens());
    assertEquals(QuickstartEvalJob.BATCH, c.queryBatchSize());
    assertEquals(QuickstartEvalJob.BATCH, c.candidateBatchSize());
    assertTrue(c.reasoning());
    assertEquals("mmeb", c.prompts());

    // The default --out of the quickstart, as the launcher runs it from the repository root.
    QuickstartLayout layout = new QuickstartLayout(root.resolve("runs/quickstart"));
    Path run = layout.run(0, Variant.RGE);
    assertEquals(
        run.resolve("checkpoints").resolve(String.format("step-%08d", plan.totalSteps())),
        loaded.resolve(c.model()).normalize());
    assertEquals(layout.synth(0), loaded.resolve(c.data()).normalize());
  }
}
