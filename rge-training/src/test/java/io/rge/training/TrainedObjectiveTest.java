package io.rge.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rge.training.checkpoint.CheckpointProvenance;
import io.rge.training.objective.ObjectiveMode;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A checkpoint tells which objective trained it (so that {@code rge eval} can warn when reasoning
 * is on for a baseline, whose rationales were never trained).
 */
class TrainedObjectiveTest {
  @TempDir Path dir;

  @Test
  void aCheckpointNamesTheObjectiveThatTrainedIt() throws Exception {
    for (ObjectiveMode mode : new ObjectiveMode[] {ObjectiveMode.BASELINE, ObjectiveMode.RGE}) {
      Path checkpoint =
          new Trainer(
                  TestRuns.config(
                      dir.resolve(mode.id()),
                      "objective.mode=" + mode.id(),
                      "objective.lm_warmup_steps=0"))
              .run(1)
              .finalCheckpoint();
      assertEquals(Optional.of(mode), CheckpointProvenance.trainedObjective(checkpoint), mode.id());
    }
  }

  @Test
  void aFolderWithoutProvenanceNamesNone() throws Exception {
    assertEquals(Optional.empty(), CheckpointProvenance.trainedObjective(dir));
  }

  @Test
  void anUnreadableProvenanceOrUnknownObjectiveIsAnErrorNamingTheFile() throws Exception {
    Path file = Files.writeString(dir.resolve(CheckpointProvenance.FILE_NAME), "{\"config\": {");
    UncheckedIOException e =
        assertThrows(UncheckedIOException.class, () -> CheckpointProvenance.trainedObjective(dir));
    assertTrue(e.getMessage().startsWith(file + ": not a readable provenance"), e.getMessage());

    Files.writeString(file, "{\"config\": {\"objective\": {\"mode\": \"contrastive\"}}}");
    IllegalArgumentException unknown =
        assertThrows(
            IllegalArgumentException.class, () -> CheckpointProvenance.trainedObjective(dir));
    assertEquals(
        file
            + ": config.objective.mode: objective mode 'contrastive' is not one of rge, baseline,"
            + " oracle-leak",
        unknown.getMessage());
  }
}
