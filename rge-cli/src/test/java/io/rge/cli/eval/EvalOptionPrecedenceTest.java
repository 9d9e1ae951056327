package io.rge.cli.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rge.cli.Cli;
import io.rge.core.DeviceChoice;
import io.rge.data.images.ImageLimits;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shared options carry one default each, yet a config's key must beat that default and a typed
 * option must beat the key: checked on the settings {@code eval} resolves, for every shared option
 * a config can set, against the values written in the test.
 */
class EvalOptionPrecedenceTest {
  @TempDir Path tmp;

  private Evaluate.Settings settings(String... args) {
    Evaluate command = new Evaluate();
    Cli.commandLine(command).parseArgs(args);
    return command.settings();
  }

  private String[] with(Path config, String... more) throws Exception {
    Files.createDirectories(tmp.resolve("model"));
    Files.createDirectories(tmp.resolve("data"));
    List<String> all = new ArrayList<>();
    if (config != null) {
      all.addAll(List.of("--config", config.toString()));
    } else {
      all.addAll(
          List.of(
              "--model",
              tmp.resolve("model").toString(),
              "--data",
              tmp.resolve("data").toString()));
    }
    all.addAll(List.of(more));
    return all.toArray(String[]::new);
  }

  @Test
  void withoutConfigTheOptionsDefaultsApply() throws Exception {
    Evaluate.Settings s = settings(with(null));
    assertEquals(DeviceChoice.AUTO, s.device());
    assertEquals(128, s.eval().maxNewTokens());
    assertEquals(16, s.eval().queryBatchSize());
    assertEquals(32, s.eval().candidateBatchSize(), "candidates keep eval's own batch");
    assertTrue(s.eval().reasoning());
    assertEquals(ImageLimits.DEFAULT_MAX_PIXELS, s.eval().imageLimits().maxPixels());
  }

  @Test
  void aConfigKeyBeatsTheDefaultAndATypedOptionBeatsTheKey() throws Exception {
    Path config =
        Files.writeString(
            tmp.resolve("eval.yaml"),
            "model: model\ndata: data\ndevice: cpu\nmax_new_tokens: 7\nquery_batch_size: 3\n"
                + "candidate_batch_size: 5\nreasoning: false\nmax_image_pixels: 1234\n");
    Evaluate.Settings fromConfig = settings(with(config));
    assertEquals(DeviceChoice.CPU, fromConfig.device());
    assertEquals(7, fromConfig.eval().maxNewTokens());
    assertEquals(3, fromConfig.eval().queryBatchSize());
    assertEquals(5, fromConfig.eval().candidateBatchSize());
    assertFalse(fromConfig.eval().reasoning());
    assertEquals(1234, fromConfig.eval().imageLimits().maxPixels());

    Evaluate.Settings typed =
        settings(
            with(
                config,
                "--device",
                "gpu",
                "--max-new-tokens",
                "9",
                "--batch-size",
                "2",
                "--reasoning",
                "on",
                "--max-image-pixels",
                "99"));
    assertEquals(DeviceChoice.GPU, typed.device());
    assertEquals(9, typed.eval().maxNewTokens());
    assertEquals(2, typed.eval().queryBatchSize());
    assertEquals(2, typed.eval().candidateBatchSize(), "--batch-size sets both sides");
    assertTrue(typed.eval().reasoning());
    assertEquals(99, typed.eval().imageLimits().maxPixels());

    // Typing the default value still counts as typed: it beats the config's key.
    Evaluate.Settings typedDefault = settings(with(config, "--max-new-tokens", "128"));
    assertEquals(128, typedDefault.eval().maxNewTokens());
  }
}
