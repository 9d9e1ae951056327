package io.rge.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rge.core.files.FolderInUseException;
import io.rge.core.files.FolderLock;
import io.rge.training.config.TrainConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A training run holds its output folder for its whole life: a second run on the folder is refused
 * before it reads or writes anything there, naming the folder and the holder, and the folder is
 * free again once the first run ends. (FolderLockTest shows the lock across processes.)
 */
class RunFolderLockTest {
  @TempDir Path dir;

  @Test
  void aSecondRunOnAHeldFolderIsRefusedAndTheFolderIsFreeAfterTheFirst() throws Exception {
    Path output = dir.resolve("run");
    TrainConfig config =
        TestRuns.config(
            output,
            "schedule.total_steps=1",
            "schedule.warmup_steps=0",
            "objective.lm_warmup_steps=1");
    try (FolderLock holder = FolderLock.acquire(output, "another training run")) {
      FolderInUseException e =
          assertThrows(FolderInUseException.class, () -> new Trainer(config).run());
      assertTrue(
          e.getMessage().startsWith(output + " is in use by another training run (pid "),
          e.getMessage());
      try (Stream<Path> files = Files.list(output)) {
        assertEquals(List.of(output.resolve(FolderLock.FILE_NAME)), files.toList());
      }
    }
    TrainResult result = new Trainer(config).run();
    assertEquals(1, result.metrics().size());
    // The run released the folder when it ended.
    try (FolderLock after = FolderLock.acquire(output, "the test")) {
      assertEquals(output, after.folder());
    }
  }
}
