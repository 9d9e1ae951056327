package io.rge.core.qwen25vl;

import io.rge.core.safetensors.Precision;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Grows the token embedding (and the LM head when untied) to a larger vocabulary, e.g. when the
 * tokenizer gains {@code <emb>} beyond the model's rows. New rows are the column-wise mean of the
 * existing rows (accumulated in double), so new tokens start at the centre of the embedding
 * distribution. The returned config has the new {@code vocab_size}, so a checkpoint written from
 * the result carries the growth.
 */
public final class VocabularyGrower {
  private static final Logger LOG = LoggerFactory.getLogger(VocabularyGrower.class);

  /** The grown model and what happened. */
  public record Result(Qwen25VLConfig config, WeightSet weights, VocabularyGrowth growth) {}

  private VocabularyGrower() {}

  /**
   * Returns {@code config} and {@code weights} with at least {@code requiredVocabSize} embedding
   * rows; unchanged (growth with equal sizes) when the config already has enough.
   */
  public static Result grow(Qwen25VLConfig config, WeightSet weights, int requiredVocabSize) {
    int oldSize = config.text().vocabSize();
    if (requiredVocabSize <= oldSize) {
      return new Result(config, weights, new VocabularyGrowth(oldSize, oldSize));
    }
    Map<String, WeightSet.Tensor> tensors = new HashMap<>(weights.tensors());
    tensors.put(
        CheckpointLayout.EMBED_TOKENS,
        grownRows(weights, CheckpointLayout.EMBED_TOKENS, oldSize, requiredVocabSize));
    if (!config.tieWordEmbeddings()) {
      tensors.put(
          CheckpointLayout.LM_HEAD,
          grownRows(weights, CheckpointLayout.LM_HEAD, oldSize, requiredVocabSize));
    }
    LOG.info(
        "vocabulary grown from {} to {} rows (new rows = mean of existing rows)",
        oldSize,
        requiredVocabSize);
    return new Result(
        config.withVocabSize(requiredVocabSize),
        new WeightSet(weights.precision(), tensors),
        new VocabularyGrowth(oldSize, requiredVocabSize));
  }

  /**
   * The values of a {@code [oldRows, cols]} matrix grown to {@code newRows} rows, each new row the
   * mean of the old ones.
   */
  public static float[] grownRows(float[] values, int oldRows, int newRows, int cols) {
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

  private static WeightSet.Tensor grownRows(
      WeightSet weights, String name, int oldRows, int newRows) {
    if (!weights.contains(name)) {
      throw new CheckpointException("cannot grow the vocabulary: weight '" + name + "' is absent");
    }
    long[] shape = weights.shape(name);
    if (shape.length != 2 || shape[0] != oldRows) {
      throw new CheckpointException(
          "cannot grow the vocabulary: '"
              + name
              + "' has shape "
              + Arrays.toString(shape)
              + ", expected ["
              + oldRows
              + ", hidden]");
    }
    int cols = Math.toIntExact(shape[1]);
    float[] mean = meanRow(weights.floats(name), oldRows, cols);
    Precision precision = weights.precision();
    long bytes = (long) newRows * cols * precision.byteSize();
    if (bytes > Integer.MAX_VALUE) {
      throw new CheckpointException(
          "cannot grow '" + name + "' to " + newRows + " rows: more than one buffer holds");
    }
    ByteBuffer out = ByteBuffer.allocateDirect((int) bytes).order(ByteOrder.LITTLE_ENDIAN);
    out.put(weights.buffer(name));
    ByteBuffer meanRow = WeightSet.encode(mean, precision);
    for (int r = oldRows; r < newRows; r++) {
      out.put(meanRow.duplicate());
    }
    return new WeightSet.Tensor(new long[] {newRows, cols}, out.rewind());
  }
}
