package io.rge.cli.parity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rge.cli.Cli;
import io.rge.core.CheckpointFolderWriter;
import io.rge.core.DeviceChoice;
import io.rge.core.LoadOptions;
import io.rge.core.RgeModel;
import io.rge.core.preset.TinyPreset;
import io.rge.testfixtures.TestFixtures;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code rge parity} on qwen25vl-tiny through the CLI conventions: both references pass with the
 * positions they were computed with, and the shipped (sequential) one fails with grid positions.
 */
class ParityCommandTest {
  private static final Pattern ROW =
      Pattern.compile("^(\\S+)\\s+(\\S+)\\s+(\\S+)\\s+(abs \\S+|rel \\S+|exact)\\s+(PASS|FAIL)");

  static Path dir() throws Exception {
    return TestFixtures.tinyModel();
  }

  record Run(int exit, String out, String err) {
    List<String> rows(String result) {
      return out.lines()
          .map(ROW::matcher)
          .filter(Matcher::find)
          .filter(m -> m.group(5).equals(result))
          .map(m -> m.group(1))
          .toList();
    }
  }

  static Run parity(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int exit = Cli.run(new ParityCommand(), new PrintWriter(out), new PrintWriter(err), args);
    return new Run(exit, out.toString(), err.toString());
  }

  @Test
  void shippedReferencePassesWithSequentialPositions() throws Exception {
    Run run =
        parity(
            "--model",
            dir().toString(),
            "--expected",
            dir().resolve("expected.json").toString(),
            "--positions",
            "sequential",
            "--device",
            "cpu");
    assertEquals(0, run.exit(), run.out() + run.err());
    List<String> passed = run.rows("PASS");
    for (String tensor :
        List.of(
            "img0.vision_patch_embed",
            "img0.vision_merger_out_window_order",
            "img0.image_embeds",
            "img0.inputs_embeds",
            "img0.hidden_layer1",
            "img0.last_hidden_state",
            "img0.logits",
            "img0.rge_sequence",
            "img0.rge_embedding",
            "img1.logits",
            "img1.rge_sequence",
            "batch_left.last_hidden_state",
            "batch_left.emb_embeddings",
            "batch_right.last_hidden_state",
            "batch_right.emb_embeddings",
            "loss.lm",
            "loss.contrastive",
            "loss.total",
            "loss.grad_norm.visual.patch_embed.proj.weight",
            "loss.grad_norm.model.layers.0.self_attn.k_proj.bias",
            "loss.grad_norm.model.embed_tokens.weight")) {
      assertTrue(passed.contains(tensor), tensor + " should pass:\n" + run.out());
    }
    // 92 gradient norms, 3 losses, 9 + 9 image rows, 2 + 2 batch rows
    assertEquals(117, passed.size(), run.out());
    assertTrue(run.out().contains("117 rows: 117 passed, 0 failed"), run.out());
    assertFalse(run.out().contains("hint:"), run.out());
  }

  @Test
  void fp16MeasuredAgainstHalfPrecisionTolerances() throws Exception {
    Run run =
        parity(
            "--model", dir().toString(),
            "--expected", dir().resolve("expected.json").toString(),
            "--positions", "sequential",
            "--device", "cpu",
            "--precision", "fp16");
    // Image forward, batch embeddings, losses and gradient norms all within the fp16 bars
    // (ParityTolerances states them and why); the generated sequences by HalfGenerationCheck: one
    // more row per image case, the teacher-forced logits against the checkpoint in fp32.
    assertEquals(0, run.exit(), run.out() + run.err());
    assertTrue(run.out().contains("119 rows: 119 passed, 0 failed"), run.out());
    for (String tensor :
        List.of(
            "img0.logits",
            "img0.rge_sequence.teacher_forced_logits",
            "img0.rge_embedding",
            "loss.total")) {
      assertTrue(run.out().contains(tensor), run.out());
    }
    assertTrue(run.out().contains("rel 1e-02"), run.out());
  }

  @Test
  void mropeReferencePassesWithGridPositions() throws Exception {
    Run run =
        parity(
            "--model", dir().toString(),
            "--expected", dir().resolve("mrope/expected.safetensors").toString(),
            "--device", "cpu");
    assertEquals(0, run.exit(), run.out() + run.err());
    List<String> passed = run.rows("PASS");
    for (String tensor :
        List.of(
            "img0.logits",
            "img0.position_ids",
            "img0.rope_deltas",
            "img0.rge_sequence",
            "img0.rge_embedding",
            "img1.hidden_layer1",
            "batch_left.position_ids",
            "batch_right.emb_embeddings",
            "loss.total",
            "loss.query_position_ids",
            "loss.grad_norm.visual.merger.mlp.2.weight")) {
      assertTrue(passed.contains(tensor), tensor + " should pass:\n" + run.out());
    }
    assertTrue(run.rows("FAIL").isEmpty(), run.out());
  }

  @Test
  void sequentialReferenceFailsWithGridPositionsAndHints() throws Exception {
    Run run =
        parity(
            "--model", dir().toString(),
            "--expected", dir().resolve("expected.safetensors").toString(),
            "--device", "cpu");
    assertEquals(1, run.exit(), run.out() + run.err());
    List<String> failed = run.rows("FAIL");
    assertTrue(failed.contains("img0.logits"), run.out());
    assertTrue(failed.contains("img1.logits"), run.out());
    // Text-only rows do not depend on image positions: the vision tower still matches.
    assertTrue(run.rows("PASS").contains("img0.image_embeds"), run.out());
    assertTrue(run.out().contains("hint: "), run.out());
    assertTrue(run.out().contains("--positions sequential"), run.out());
  }

  /**
   * Another model of the architecture (other sizes, vocabulary and special ids) runs through every
   * case without crashing: what does not fit is reported as failed rows.
   */
  @Test
  void aModelThatDoesNotFitTheFixtureGivesFailedRows(@TempDir Path tmp) throws Exception {
    Path other = tmp.resolve("preset");
    try (RgeModel model =
        RgeModel.load(
            LoadOptions.builder()
                .setPreset(TinyPreset.create(List.of("a red circle", "two manta rays")), 3)
                .optDevice(DeviceChoice.CPU)
                .build())) {
      CheckpointFolderWriter.of(model).write(other);
    }
    Run run =
        parity(
            "--model", other.toString(),
            "--expected", dir().resolve("mrope/expected.safetensors").toString(),
            "--device", "cpu");
    assertEquals(1, run.exit(), run.out() + run.err());
    assertTrue(run.rows("PASS").isEmpty(), run.out());
    for (String kase : List.of("img0", "img1", "batch_left", "batch_right", "loss")) {
      assertTrue(run.out().contains(kase), kase + ": " + run.out());
    }
    assertTrue(run.out().contains("passed, "), run.out());
  }

  @Test
  void aMissingFixtureIsAClearFailure() throws Exception {
    Run run =
        parity(
            "--model", dir().toString(),
            "--expected", dir().resolve("nothing/expected.json").toString(),
            "--device", "cpu");
    assertEquals(1, run.exit());
    assertTrue(run.err().contains("nothing/expected.safetensors"), run.err());
  }

  @Test
  void badPositionsAreAUsageError() throws Exception {
    Run run =
        parity(
            "--model", dir().toString(),
            "--expected", dir().resolve("expected.json").toString(),
            "--positions", "diagonal");
    assertEquals(2, run.exit());
    assertTrue(run.err().contains("diagonal"), run.err());
  }
}
