package io.rge.core.qwen25vl;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelFolderCheckTest {
  @TempDir Path dir;

  private static final String CONTENTS =
      "a model folder holds config.json, model.safetensors (or shards with"
          + " model.safetensors.index.json), tokenizer.json and optionally"
          + " preprocessor_config.json";

  private String failure(Path modelDir) {
    return assertThrows(CheckpointException.class, () -> ModelFolderCheck.check(modelDir))
        .getMessage();
  }

  private Path checkpoint(Path run, int step) throws IOException {
    Path c = run.resolve("checkpoints").resolve(String.format("step-%08d", step));
    Files.createDirectories(c);
    Files.writeString(c.resolve("config.json"), "{}");
    return c;
  }

  @Test
  void missingFolderSaysWhatAModelFolderHolds() {
    Path nowhere = dir.resolve("nope");
    assertEquals(nowhere + " does not exist; " + CONTENTS, failure(nowhere));
  }

  @Test
  void folderWithoutConfigSaysWhatAModelFolderHolds() throws IOException {
    Files.writeString(dir.resolve("tokenizer.json"), "{}");
    assertEquals(dir + " has no config.json; " + CONTENTS, failure(dir));
    Path file = dir.resolve("tokenizer.json");
    assertEquals(file + " is not a folder; " + CONTENTS, failure(file));
  }

  @Test
  void runFolderListsItsCheckpointsAndSuggestsTheNewest() throws IOException {
    Path run = dir.resolve("run");
    // Created newest first: the listing must order by step, not by creation.
    Path newest = checkpoint(run, 20);
    checkpoint(run, 10);
    // Not checkpoints: a quarantined one and one cut off before its config.json.
    Files.createDirectories(run.resolve("checkpoints/step-00000030.broken"));
    Files.createDirectories(run.resolve("checkpoints/step-00000040"));
    String expected =
        run
            + " is a training run folder, not a model folder ("
            + CONTENTS
            + "); its checkpoints, newest last: step-00000010, step-00000020; to use the newest,"
            + " pass "
            + newest;
    assertEquals(expected, failure(run));

    Path checkpoints = run.resolve("checkpoints");
    assertTrue(failure(checkpoints).startsWith(checkpoints + " is a folder of checkpoints"));
    assertDoesNotThrow(() -> ModelFolderCheck.check(newest));
  }

  @Test
  void longRunsListOnlyTheNewestCheckpoints() throws IOException {
    Path run = dir.resolve("long");
    for (int step = 1; step <= ModelFolderCheck.LISTED + 3; step++) {
      checkpoint(run, step * 100);
    }
    String message = failure(run);
    assertTrue(
        message.contains(
            "newest last: … 3 older, step-00000400, step-00000500, step-00000600, step-00000700,"
                + " step-00000800; "),
        message);
  }
}
