package io.rge.core.generation;

import java.io.Serializable;

/**
 * How rationales are generated; serializable, so that distributed evaluation (rge-spark) ships the
 * settings to its executors.
 *
 * @param maxNewTokens tokens the model may write before {@code <emb>} is appended for it
 * @param decoding greedy or seeded sampling
 * @param batchSize sequences generated together (the slots of continuous batching)
 * @param batching continuous (a finished row's slot is refilled at once) or static (a batch runs
 *     until its longest row ends)
 * @param sharePrefix encode the prompts' common prefix (system prompt, chat header, a shared
 *     instruction) once and reuse its keys and values in every row
 */
public record GenerationSettings(
    int maxNewTokens, Decoding decoding, int batchSize, Batching batching, boolean sharePrefix)
    implements Serializable {

  /** How rows share the model's batch. */
  public enum Batching {
    /** Rows sorted by prompt length, {@code batchSize} at a time, each batch run to its end. */
    STATIC,
    /** A fixed number of slots; a finished row's slot takes the next prompt at the next step. */
    CONTINUOUS;

    /** How configurations name it: {@code static} or {@code continuous}. */
    public String id() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }

    /** {@code static} or {@code continuous} (any case). */
    public static Batching parse(String id) {
      for (Batching b : values()) {
        if (b.id().equalsIgnoreCase(id)) {
          return b;
        }
      }
      throw new IllegalArgumentException(
          "generation batching must be static or continuous, got " + id);
    }
  }

  /** Greedy, 128 new tokens, 16 at a time: the paper's evaluation protocol. */
  public static final GenerationSettings DEFAULT = greedy(128, 16);

  public GenerationSettings {
    if (maxNewTokens < 0) {
      throw new IllegalArgumentException("max_new_tokens must be >= 0, got " + maxNewTokens);
    }
    if (batchSize <= 0) {
      throw new IllegalArgumentException("batch size must be > 0, got " + batchSize);
    }
    if (decoding == null) {
      throw new IllegalArgumentException("decoding is required");
    }
    if (batching == null) {
      throw new IllegalArgumentException("batching is required");
    }
  }

  /** Continuous batching with the common prefix shared. */
  public GenerationSettings(int maxNewTokens, Decoding decoding, int batchSize) {
    this(maxNewTokens, decoding, batchSize, Batching.CONTINUOUS, true);
  }

  /** Greedy, as RGE trains and evaluates; continuous batching, common prefix shared. */
  public static GenerationSettings greedy(int maxNewTokens, int batchSize) {
    return new GenerationSettings(maxNewTokens, Decoding.greedy(), batchSize);
  }

  public GenerationSettings withBatching(Batching how) {
    return new GenerationSettings(maxNewTokens, decoding, batchSize, how, sharePrefix);
  }

  public GenerationSettings withSharedPrefix(boolean share) {
    return new GenerationSettings(maxNewTokens, decoding, batchSize, batching, share);
  }
}
