package io.rge.training.checkpoint;

import com.fasterxml.jackson.annotation.JsonUnwrapped;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.rge.core.Provenance;
import io.rge.core.files.AtomicFiles;
import io.rge.training.data.DataFingerprint;
import io.rge.training.objective.ObjectiveMode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * {@code provenance.json}: what produced a checkpoint — the run's {@link Provenance} (versions, git
 * commit, host, device, seed, written at the top level as {@code scores.json} writes them), the
 * resolved config, fingerprints of the data files and when the run started.
 *
 * @param config the run's config, snake_case as in YAML, paths resolved
 * @param provenance the software, commit, machine, device and seed
 * @param data the data files read
 * @param startedAt when the run (this invocation) started, ISO-8601
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record CheckpointProvenance(
    JsonNode config,
    @JsonUnwrapped Provenance provenance,
    List<DataFingerprint> data,
    String startedAt) {
  /** The file name inside a checkpoint. */
  public static final String FILE_NAME = "provenance.json";

  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
  private static final ObjectMapper SNAKE =
      new ObjectMapper().setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE);

  /** Collects the provenance of a run now starting on {@code device}. */
  public static CheckpointProvenance collect(
      Object config, long seed, String device, List<DataFingerprint> data) {
    return new CheckpointProvenance(
        SNAKE.valueToTree(config),
        Provenance.collect(device, seed),
        data,
        Instant.now().toString());
  }

  /**
   * The objective a model folder was trained with, from its {@code provenance.json}: empty when it
   * has none (a Hugging Face checkpoint) or names no objective; a provenance that cannot be parsed,
   * or names an unknown objective, is an error naming the file.
   */
  public static Optional<ObjectiveMode> trainedObjective(Path modelDir) {
    Path file = modelDir.resolve(FILE_NAME);
    if (!Files.isRegularFile(file)) {
      return Optional.empty();
    }
    JsonNode mode;
    try {
      mode = JSON.readTree(file.toFile()).path("config").path("objective").path("mode");
    } catch (IOException e) {
      throw new UncheckedIOException(file + ": not a readable provenance: " + e.getMessage(), e);
    }
    if (!mode.isTextual()) {
      return Optional.empty();
    }
    try {
      return Optional.of(ObjectiveMode.parse(mode.asText()));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(file + ": config.objective.mode: " + e.getMessage(), e);
    }
  }

  /** Writes the provenance to {@code file} through a temporary file and a rename. */
  public void write(Path file) throws IOException {
    AtomicFiles.write(
        file, (JSON.writeValueAsString(this) + "\n").getBytes(StandardCharsets.UTF_8));
  }
}
