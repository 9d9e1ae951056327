package io.rge.data.mmeb;

/**
 * How a reader streams rows.
 *
 * @param batchSize rows per {@link RowStream#nextBatch()} and JDBC fetch size; at least 1
 * @param checkPlaceholders whether each row's text/image pairs are checked with {@link
 *     ImagePlaceholder#check}; turn off only to collect problems yourself (as {@code rge data
 *     inspect} does)
 */
public record ReadOptions(int batchSize, boolean checkPlaceholders) {
  public static final int DEFAULT_BATCH_SIZE = 1024;

  public ReadOptions {
    if (batchSize < 1) {
      throw new IllegalArgumentException("batchSize must be at least 1, got " + batchSize);
    }
  }

  /** Batches of {@value #DEFAULT_BATCH_SIZE} rows, placeholders checked. */
  public static ReadOptions defaults() {
    return new ReadOptions(DEFAULT_BATCH_SIZE, true);
  }

  public ReadOptions withBatchSize(int size) {
    return new ReadOptions(size, checkPlaceholders);
  }

  public ReadOptions withoutPlaceholderCheck() {
    return new ReadOptions(batchSize, false);
  }
}
