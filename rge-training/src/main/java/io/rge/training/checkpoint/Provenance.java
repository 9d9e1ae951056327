package io.rge.training.checkpoint;

import ai.djl.engine.Engine;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.rge.core.ProjectVersion;
import io.rge.core.files.AtomicFiles;
import io.rge.training.data.DataFingerprint;
import io.rge.training.objective.ObjectiveMode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * {@code provenance.json}: what produced a checkpoint — the resolved config, the seed, the git
 * commit of the source checkout (when the run started inside one), library versions, and
 * fingerprints of the data files.
 *
 * @param config the run's config, snake_case as in YAML, paths resolved
 * @param gitCommit {@code git rev-parse HEAD} of the working directory, or null
 * @param versions RGE, Java, DJL, the engine and its version, the OS
 * @param data the data files read
 * @param startedAt when the run (this invocation) started, ISO-8601
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record Provenance(
    JsonNode config,
    long seed,
    String gitCommit,
    Map<String, String> versions,
    List<DataFingerprint> data,
    String startedAt) {
  /** The file name inside a checkpoint. */
  public static final String FILE_NAME = "provenance.json";

  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
  private static final ObjectMapper SNAKE =
      new ObjectMapper().setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE);

  /** Collects the provenance of a run now starting. */
  public static Provenance collect(Object config, long seed, List<DataFingerprint> data) {
    Map<String, String> versions = new LinkedHashMap<>();
    versions.put("rge", ProjectVersion.get());
    versions.put("java", System.getProperty("java.version"));
    versions.put("djl", Engine.getDjlVersion());
    Engine engine = Engine.getInstance();
    versions.put("engine", engine.getEngineName() + " " + engine.getVersion());
    versions.put("os", System.getProperty("os.name") + " " + System.getProperty("os.arch"));
    return new Provenance(
        SNAKE.valueToTree(config),
        seed,
        currentGitCommit(),
        versions,
        data,
        Instant.now().toString());
  }

  /**
   * The commit of the git checkout around the working directory, or null when there is none, git is
   * missing, or it does not answer within seconds.
   */
  static String currentGitCommit() {
    try {
      Process git =
          new ProcessBuilder("git", "rev-parse", "HEAD").redirectErrorStream(false).start();
      git.getOutputStream().close();
      git.getErrorStream().close();
      if (!git.waitFor(5, TimeUnit.SECONDS)) {
        git.destroyForcibly();
        return null;
      }
      String out;
      try (InputStream in = git.getInputStream()) {
        out = new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
      }
      return git.exitValue() == 0 && out.matches("[0-9a-f]{40,64}") ? out : null;
    } catch (IOException e) {
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
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
