package io.rge.cli.quickstart;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.rge.core.files.AtomicFiles;
import java.io.IOException;
import java.nio.file.Path;

/**
 * One trained mode's evaluation: the checkpoint chosen on the seen-compositions split, and the
 * held-out scores of that checkpoint and of the last one. Selection never looks at held-out
 * compositions.
 *
 * @param selected held-out scores of the checkpoint with the best seen-split overall
 * @param last held-out scores of the last checkpoint
 * @param selectedSeen seen-split scores of the selected checkpoint
 */
record ModeScores(
    @JsonProperty("mode") String mode,
    @JsonProperty("seed") long seed,
    @JsonProperty("selected") SplitScores selected,
    @JsonProperty("last") SplitScores last,
    @JsonProperty("selected_seen") SplitScores selectedSeen) {

  static final String FILE = "quickstart-scores.json";
  private static final ObjectMapper JSON = new ObjectMapper();

  void write(Path runDir) throws IOException {
    AtomicFiles.write(
        runDir.resolve(FILE), JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(this));
  }

  static ModeScores read(Path runDir) throws IOException {
    return JSON.readValue(runDir.resolve(FILE).toFile(), ModeScores.class);
  }
}
