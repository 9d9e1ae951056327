package io.rge.spark;

import io.rge.core.DeviceChoice;
import io.rge.core.precision.ComputePrecision;
import io.rge.data.images.ImageLimits;
import java.io.Serializable;

/**
 * How {@link RgeSpark#embed} embeds a table's rows.
 *
 * @param textColumn the text column (a string; null text counts as "")
 * @param imageColumn an image column, or null for text only: a string column holds image file paths
 *     (relative to {@code imageRoot} when there is one, and then inside it; else as they are;
 *     readable on every executor), a binary column the encoded image bytes (PNG, JPEG, BMP, GIF); a
 *     null cell means no image
 * @param imageRoot the folder image paths resolve against, as every command resolves them: a path
 *     that is absolute, has a {@code ..} segment or leads out through a link is refused; or null
 * @param batchSize rows embedded together (per forward pass, or generation slots with reasoning)
 * @param reasoning true for queries: each generates its rationale first (the rationale goes to a
 *     {@code rationale} column); false for candidates (and queries without reasoning): prompt +
 *     {@code <emb>}
 * @param maxNewTokens rationale token limit with reasoning
 * @param device where executors run the model
 * @param precision compute precision, or null for the device's default
 * @param maxImagePixels the largest width x height of an image
 */
public record SparkEmbedOptions(
    String textColumn,
    String imageColumn,
    String imageRoot,
    int batchSize,
    boolean reasoning,
    int maxNewTokens,
    DeviceChoice device,
    ComputePrecision precision,
    long maxImagePixels)
    implements Serializable {
  /** The column {@link RgeSpark#embed} adds: array&lt;float&gt;. */
  public static final String EMBEDDING_COLUMN = "embedding";

  /** The column it also adds with reasoning: the generated rationale. */
  public static final String RATIONALE_COLUMN = "rationale";

  public SparkEmbedOptions {
    if (textColumn == null || textColumn.isBlank()) {
      throw new IllegalArgumentException("a text column is required");
    }
    if (batchSize < 1) {
      throw new IllegalArgumentException("batch size must be >= 1, got " + batchSize);
    }
    if (maxNewTokens < 0) {
      throw new IllegalArgumentException("max new tokens must be >= 0, got " + maxNewTokens);
    }
    if (maxImagePixels < 1) {
      throw new IllegalArgumentException("max image pixels must be >= 1, got " + maxImagePixels);
    }
    if (device == null) {
      throw new IllegalArgumentException("a device is required");
    }
  }

  /**
   * Candidates from {@code textColumn}: no reasoning, 16 per batch, on a GPU when executors see
   * one, default precision, the default image pixel limit.
   */
  public static SparkEmbedOptions candidates(String textColumn) {
    return new SparkEmbedOptions(
        textColumn,
        null,
        null,
        16,
        false,
        128,
        DeviceChoice.AUTO,
        null,
        ImageLimits.DEFAULT_MAX_PIXELS);
  }

  /** Queries from {@code textColumn}: as {@link #candidates}, with reasoning (128 new tokens). */
  public static SparkEmbedOptions queries(String textColumn) {
    return candidates(textColumn).withReasoning(true);
  }

  public SparkEmbedOptions withImageColumn(String column) {
    return new SparkEmbedOptions(
        textColumn,
        column,
        imageRoot,
        batchSize,
        reasoning,
        maxNewTokens,
        device,
        precision,
        maxImagePixels);
  }

  public SparkEmbedOptions withImageRoot(String root) {
    return new SparkEmbedOptions(
        textColumn,
        imageColumn,
        root,
        batchSize,
        reasoning,
        maxNewTokens,
        device,
        precision,
        maxImagePixels);
  }

  public SparkEmbedOptions withBatchSize(int size) {
    return new SparkEmbedOptions(
        textColumn,
        imageColumn,
        imageRoot,
        size,
        reasoning,
        maxNewTokens,
        device,
        precision,
        maxImagePixels);
  }

  public SparkEmbedOptions withReasoning(boolean on) {
    return new SparkEmbedOptions(
        textColumn,
        imageColumn,
        imageRoot,
        batchSize,
        on,
        maxNewTokens,
        device,
        precision,
        maxImagePixels);
  }

  public SparkEmbedOptions withMaxNewTokens(int tokens) {
    return new SparkEmbedOptions(
        textColumn,
        imageColumn,
        imageRoot,
        batchSize,
        reasoning,
        tokens,
        device,
        precision,
        maxImagePixels);
  }

  public SparkEmbedOptions withDevice(DeviceChoice choice) {
    return new SparkEmbedOptions(
        textColumn,
        imageColumn,
        imageRoot,
        batchSize,
        reasoning,
        maxNewTokens,
        choice,
        precision,
        maxImagePixels);
  }

  public SparkEmbedOptions withPrecision(ComputePrecision p) {
    return new SparkEmbedOptions(
        textColumn,
        imageColumn,
        imageRoot,
        batchSize,
        reasoning,
        maxNewTokens,
        device,
        p,
        maxImagePixels);
  }

  public SparkEmbedOptions withMaxImagePixels(long pixels) {
    return new SparkEmbedOptions(
        textColumn,
        imageColumn,
        imageRoot,
        batchSize,
        reasoning,
        maxNewTokens,
        device,
        precision,
        pixels);
  }
}
