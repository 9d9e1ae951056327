package io.rge.core;

import ai.djl.engine.Engine;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Where a result comes from, as every checkpoint ({@code provenance.json}) and every {@code
 * scores.json} records it: the software, the source commit, the machine, the device and the seed.
 *
 * @param versions RGE, Java, DJL, the engine and its version, the OS
 * @param gitCommit {@code git rev-parse HEAD} of the working directory, or null outside a checkout
 * @param host the machine's name, or null when it cannot be found
 * @param device the device the model ran on (the lead device of a data-parallel run)
 * @param seed the run's root seed, or null for a run that draws nothing (greedy evaluation)
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record Provenance(
    Map<String, String> versions, String gitCommit, String host, String device, Long seed) {
  public Provenance {
    versions = Collections.unmodifiableMap(new LinkedHashMap<>(versions));
  }

  /** The provenance of a run now starting in this process, on {@code device}. */
  public static Provenance collect(String device, Long seed) {
    Map<String, String> versions = new LinkedHashMap<>();
    versions.put("rge", ProjectVersion.get());
    versions.put("java", System.getProperty("java.version"));
    versions.put("djl", Engine.getDjlVersion());
    Engine engine = DjlEngine.get();
    versions.put("engine", engine.getEngineName() + " " + engine.getVersion());
    versions.put("os", System.getProperty("os.name") + " " + System.getProperty("os.arch"));
    return new Provenance(versions, currentGitCommit(), hostName(), device, seed);
  }

  private static String hostName() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (IOException e) {
      return null;
    }
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
}
