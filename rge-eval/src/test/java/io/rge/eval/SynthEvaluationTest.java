package io.rge.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.rge.data.synth.RgeSynth;
import io.rge.data.synth.SynthSize;
import io.rge.eval.report.Prediction;
import io.rge.eval.report.PredictionsJsonl;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An RGE-Synth folder is evaluated like MMEB, with the RGE-Synth registry. */
class SynthEvaluationTest {
  @TempDir Path tmp;

  @Test
  void evaluatesBothEvalSplitsWithTheSynthRegistry() throws IOException {
    Path synth = tmp.resolve("synth");
    RgeSynth.generate(synth, 11, SynthSize.TINY, false);

    EvalData heldOut = EvalData.locate(synth, null);
    assertEquals("RGE-Synth eval", heldOut.name());
    assertEquals(synth.toAbsolutePath().resolve("eval"), heldOut.root());
    assertEquals("RGE-Synth", heldOut.registry().name());
    EvalData seen = EvalData.locate(synth.resolve("eval-seen"), null);
    assertEquals("RGE-Synth eval-seen", seen.name());
    assertEquals(synth.toAbsolutePath().resolve("images"), seen.images());
    assertThrows(
        IllegalArgumentException.class, () -> EvalData.locate(synth.resolve("images"), null));

    // The data plumbing is under test here, not a model: a bag-of-words embedder keeps it fast.
    MmebEvaluator evaluator = new MmebEvaluator(new WordEmbedder());
    {
      EvalSettings settings = EvalSettings.builder(tmp.resolve("out")).batchSize(8).build();
      EvalReport report = evaluator.evaluate(heldOut, settings);
      assertEquals(8, report.scores().datasets().size());
      assertTrue(report.scores().missing().isEmpty(), report.scores().missing().toString());
      assertEquals(8, report.scores().overall().present());
      assertFalse(report.scores().ind().applicable());

      List<Prediction> predictions = PredictionsJsonl.read(report.predictions());
      assertEquals(8 * SynthSize.TINY.evalRowsPerDataset(), predictions.size());
      JsonNode scores = new ObjectMapper().readTree(report.scoresJson().toFile());
      assertEquals("RGE-Synth", scores.get("data").get("registry").asText());
      assertFalse(scores.get("ind").get("applicable").asBoolean());
      assertTrue(scores.get("ood").get("score").isNull());
      assertTrue(scores.get("distribution_note").asText().contains("IND/OOD do not apply"));
      for (JsonNode d : scores.get("datasets")) {
        assertEquals(0, d.get("skipped_rows").asInt(), "every image is in images/");
      }
      String md = Files.readString(report.reportMarkdown());
      assertTrue(md.contains("# RGE-Synth eval evaluation"), md);
      assertTrue(md.contains("| n/a | n/a |"), md);
      assertTrue(md.contains("IND/OOD do not apply"), md);

      EvalReport seenReport =
          evaluator.evaluate(
              seen,
              settings.toBuilder()
                  .outputDir(tmp.resolve("seen"))
                  .cacheDir(tmp.resolve("seen/cache"))
                  .build());
      assertEquals(8, seenReport.scores().overall().present());
    }
  }
}
