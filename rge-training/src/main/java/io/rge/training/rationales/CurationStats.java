package io.rge.training.rationales;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.rge.core.files.AtomicFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * A subset's {@code stats.json}: rows covered, rationales written, answers filtered (per reason),
 * the rationales' length distribution in teacher tokens and the generation throughput (over every
 * session of a resumed run).
 *
 * @param rows rows of the subset the run covers
 * @param done rows written or filtered
 * @param written rationales written
 * @param filtered answers dropped by the filters
 * @param filteredBy dropped answers per {@link FilterReason#id()}
 * @param skippedMissingImage rows skipped in the last session for a missing image (not done: a
 *     later run tries them again)
 * @param rationaleTokens length distribution of the written rationales
 * @param generation tokens generated and time spent generating
 */
public record CurationStats(
    String subset,
    String split,
    long rows,
    long done,
    long written,
    long filtered,
    @JsonProperty("filtered_by") Map<String, Long> filteredBy,
    @JsonProperty("skipped_missing_image") long skippedMissingImage,
    @JsonProperty("rationale_tokens") Lengths rationaleTokens,
    Generation generation) {
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  /** Rows not yet done. */
  public long pending() {
    return rows - done;
  }

  /**
   * Length distribution (nearest-rank percentiles); all 0 when nothing was written.
   *
   * @param mean mean length
   */
  public record Lengths(int min, double mean, int p50, int p90, int max) {
    static Lengths of(int[] sorted) {
      if (sorted.length == 0) {
        return new Lengths(0, 0, 0, 0, 0);
      }
      long sum = 0;
      for (int v : sorted) {
        sum += v;
      }
      return new Lengths(
          sorted[0],
          (double) sum / sorted.length,
          rank(sorted, 0.5),
          rank(sorted, 0.9),
          sorted[sorted.length - 1]);
    }

    private static int rank(int[] sorted, double q) {
      return sorted[(int) Math.ceil(q * sorted.length) - 1];
    }
  }

  /**
   * @param tokens tokens the teacher generated (stop tokens included)
   * @param seconds time spent in generation
   * @param tokensPerSecond tokens / seconds
   */
  public record Generation(
      long tokens, double seconds, @JsonProperty("tokens_per_second") double tokensPerSecond) {}

  void write(Path file) throws IOException {
    AtomicFiles.write(file, JSON.writeValueAsBytes(this));
  }

  /**
   * Tokens and seconds of earlier sessions from an existing stats file, or zeros when it is absent
   * or unreadable (throughput then covers this session only).
   */
  static Generation earlierGeneration(Path file) {
    if (!Files.isRegularFile(file)) {
      return new Generation(0, 0, 0);
    }
    try {
      JsonNode node =
          JSON.readTree(Files.readString(file, StandardCharsets.UTF_8)).get("generation");
      if (node == null || !node.path("tokens").canConvertToLong()) {
        return new Generation(0, 0, 0);
      }
      return new Generation(node.path("tokens").asLong(), node.path("seconds").asDouble(), 0);
    } catch (IOException | RuntimeException e) {
      return new Generation(0, 0, 0);
    }
  }
}
