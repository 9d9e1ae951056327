package io.rge.eval.cache;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * What one cache folder holds: embeddings of one side of one dataset, by one model, with one prompt
 * set, and for queries one reasoning setting. Embeddings are only reused under an equal scope.
 *
 * @param modelKey hash of everything that makes the model compute what it computes (weights,
 *     config, tokenizer, image preprocessing); hex
 * @param dataset the dataset
 * @param promptSet the prompt set's id
 * @param side queries or candidates
 * @param reasoning whether queries were embedded after generating a rationale (false for
 *     candidates)
 * @param maxNewTokens the generation limit with reasoning, 0 otherwise
 */
public record CacheScope(
    String modelKey,
    String dataset,
    String promptSet,
    Side side,
    boolean reasoning,
    int maxNewTokens) {
  private static final int MODEL_DIR_CHARS = 16;

  public CacheScope {
    Objects.requireNonNull(side, "side");
    if (modelKey == null || !modelKey.matches("[0-9a-f]{" + MODEL_DIR_CHARS + ",}")) {
      throw new IllegalArgumentException("model key must be lowercase hex, got " + modelKey);
    }
    if (dataset == null || dataset.isBlank()) {
      throw new IllegalArgumentException("dataset is required");
    }
    if (promptSet == null || !promptSet.matches("[A-Za-z0-9._-]+")) {
      throw new IllegalArgumentException("prompt set id '" + promptSet + "' is not a file name");
    }
    if (side == Side.CANDIDATES && (reasoning || maxNewTokens != 0)) {
      throw new IllegalArgumentException("candidates are embedded without reasoning");
    }
    if (!reasoning && maxNewTokens != 0) {
      throw new IllegalArgumentException("max_new_tokens only applies with reasoning");
    }
    if (maxNewTokens < 0) {
      throw new IllegalArgumentException("max_new_tokens must be >= 0, got " + maxNewTokens);
    }
  }

  public static CacheScope candidates(String modelKey, String dataset, String promptSet) {
    return new CacheScope(modelKey, dataset, promptSet, Side.CANDIDATES, false, 0);
  }

  public static CacheScope queries(
      String modelKey, String dataset, String promptSet, boolean reasoning, int maxNewTokens) {
    return new CacheScope(
        modelKey, dataset, promptSet, Side.QUERIES, reasoning, reasoning ? maxNewTokens : 0);
  }

  /**
   * {@code root/<model key prefix>/<dataset>/<prompt set>/<side>}; the dataset name is made safe as
   * a folder name.
   */
  public Path folder(Path root) {
    String sideDir =
        side == Side.CANDIDATES
            ? "candidates"
            : reasoning ? "queries-reasoning-" + maxNewTokens : "queries-plain";
    return root.resolve(modelKey.substring(0, MODEL_DIR_CHARS))
        .resolve(safeName(dataset))
        .resolve(promptSet)
        .resolve(sideDir);
  }

  /** The fields, for the folder's {@code scope.json}. */
  Map<String, Object> describe(int dimension) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("model_key", modelKey);
    m.put("dataset", dataset);
    m.put("prompt_set", promptSet);
    m.put("side", side.name().toLowerCase(java.util.Locale.ROOT));
    m.put("reasoning", reasoning);
    m.put("max_new_tokens", maxNewTokens);
    m.put("dimension", dimension);
    return m;
  }

  static String safeName(String name) {
    String safe = name.replaceAll("[^A-Za-z0-9._-]", "_");
    return safe.startsWith(".") ? "_" + safe.substring(1) : safe;
  }
}
