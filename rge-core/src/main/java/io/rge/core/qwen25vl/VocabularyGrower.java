package io.rge.core.qwen25vl;

import java.util.Arrays;

/**
 * Grows the token embedding (and the LM head when untied) to a larger vocabulary, e.g. when the
 * tokenizer gains {@code <emb>} beyond the model's rows. New rows are the column-wise mean of the
 * existing rows (accumulated in double), so new tokens start at the centre of the embedding
 * distribution. A model built from the grown source with {@code config.withVocabSize(vocab)}, and a
 * checkpoint written from it, carries the growth.
 */
public final class VocabularyGrower {
  private VocabularyGrower() {}

  /**
   * {@code base} with {@code model.embed_tokens.weight} (and {@code lm_head.weight}) of {@code
   * config}'s vocabulary grown to {@code vocab} rows; every other tensor passes through unchanged.
   * Rows are grown only when asked for, one tensor at a time, like every {@link WeightSource}.
   */
  public static WeightSource grow(WeightSource base, Qwen25VLConfig config, int vocab) {
    int old = config.text().vocabSize();
    if (vocab < old) {
      throw new IllegalArgumentException(
          "cannot shrink the vocabulary from " + old + " to " + vocab + " rows");
    }
    if (vocab == old) {
      return base;
    }
    int hidden = config.text().hiddenSize();
    return (name, shape) -> {
      if (name.equals(CheckpointLayout.EMBED_TOKENS) || name.equals(CheckpointLayout.LM_HEAD)) {
        float[] rows = base.floats(name, new long[] {old, hidden});
        return grownRows(rows, old, vocab, hidden);
      }
      return base.floats(name, shape);
    };
  }

  /**
   * The values of a {@code [oldRows, cols]} matrix grown to {@code newRows} rows, each new row the
   * mean of the old ones.
   */
  private static float[] grownRows(float[] values, int oldRows, int newRows, int cols) {
    float[] mean = meanRow(values, oldRows, cols);
    float[] out = Arrays.copyOf(values, newRows * cols);
    for (int r = oldRows; r < newRows; r++) {
      System.arraycopy(mean, 0, out, r * cols, cols);
    }
    return out;
  }

  private static float[] meanRow(float[] values, int rows, int cols) {
    double[] sum = new double[cols];
    for (int r = 0; r < rows; r++) {
      int base = r * cols;
      for (int c = 0; c < cols; c++) {
        sum[c] += values[base + c];
      }
    }
    float[] mean = new float[cols];
    for (int c = 0; c < cols; c++) {
      mean[c] = (float) (sum[c] / rows);
    }
    return mean;
  }
}
