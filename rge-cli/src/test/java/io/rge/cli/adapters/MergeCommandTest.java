package io.rge.cli.adapters;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rge.core.DeviceChoice;
import io.rge.core.MultimodalInput;
import io.rge.core.RgeModel;
import io.rge.core.adapters.AdapterSettings;
import io.rge.core.adapters.Adapters;
import io.rge.core.qwen25vl.ModelWeight;
import io.rge.testfixtures.TestFixtures;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code rge adapters merge} writes a checkpoint that embeds as the base plus adapters does. */
class MergeCommandTest {
  @TempDir Path dir;

  @Test
  void mergedCheckpointEmbedsAsTheAdaptedModel() throws Exception {
    Path base = TestFixtures.tinyModel();
    Path adapter = dir.resolve("adapter");
    List<MultimodalInput> texts =
        List.of(MultimodalInput.text("a red square"), MultimodalInput.text("two manta rays"));
    List<float[]> adapted;
    try (RgeModel model = RgeModel.load(base, DeviceChoice.CPU)) {
      Adapters adapters =
          model.attachAdapters(
              new AdapterSettings(
                  AdapterSettings.Type.DORA, 4, 8, 0, AdapterSettings.RGE_TARGETS, false),
              3);
      for (ModelWeight w : adapters.weights()) {
        float[] v = w.value().toFloatArray();
        for (int i = 0; i < v.length; i++) {
          v[i] += 0.01f * ((i * 7919) % 13 - 6);
        }
        w.value().set(v);
      }
      adapters.save(adapter);
      adapted = model.embedCandidates(texts);
    }
    Path out = dir.resolve("merged");
    StringWriter stdout = new StringWriter();
    CommandLine cli = new CommandLine(new AdaptersCommand());
    cli.setOut(new PrintWriter(stdout));
    int code =
        cli.execute(
            "merge",
            "--model",
            base.toString(),
            "--adapter",
            adapter.toString(),
            "--out",
            out.toString());
    assertEquals(0, code);
    assertTrue(stdout.toString().contains("merged checkpoint written to " + out));
    try (RgeModel merged = RgeModel.load(out, DeviceChoice.CPU)) {
      List<float[]> m = merged.embedCandidates(texts);
      for (int r = 0; r < texts.size(); r++) {
        for (int i = 0; i < m.get(r).length; i++) {
          assertEquals(adapted.get(r)[i], m.get(r)[i], 1e-5, "row " + r + " value " + i);
        }
      }
    }
  }
}
