package io.rge.spark;

import io.rge.core.MultimodalInput;
import io.rge.core.NonFinite;
import io.rge.core.QueryEmbedding;
import io.rge.core.generation.GenerationSettings;
import io.rge.data.images.FolderImageStore;
import io.rge.data.images.ImageDecoder;
import io.rge.data.images.ImageLimits;
import io.rge.data.images.ImageStore;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;

/**
 * Embeds one partition, {@code batchSize} rows at a time, lazily: the rows of one batch (and their
 * decoded images) are in memory at once, however large the partition. Rows come out in order, each
 * with its embedding (and rationale, with reasoning) appended.
 */
final class PartitionEmbedder implements MapPartitionsFunction<Row, Row> {
  private static final long serialVersionUID = 1L;

  private final ModelKey key;
  private final SparkEmbedOptions options;
  private final int textIndex;
  private final int imageIndex;
  private final boolean imageBytes;

  /**
   * @param imageIndex the image column's index, or -1 for none
   * @param imageBytes whether that column holds encoded bytes (else paths)
   */
  PartitionEmbedder(
      ModelKey key, SparkEmbedOptions options, int textIndex, int imageIndex, boolean imageBytes) {
    this.key = key;
    this.options = options;
    this.textIndex = textIndex;
    this.imageIndex = imageIndex;
    this.imageBytes = imageBytes;
  }

  @Override
  public Iterator<Row> call(Iterator<Row> rows) {
    return new Iterator<>() {
      private final ArrayDeque<Row> ready = new ArrayDeque<>();
      private ImageDecoder decoder;
      private ImageStore store; // the image root's files, when there is a root
      private long read;

      @Override
      public boolean hasNext() {
        if (ready.isEmpty() && rows.hasNext()) {
          List<Row> batch = new ArrayList<>(options.batchSize());
          while (batch.size() < options.batchSize() && rows.hasNext()) {
            batch.add(rows.next());
          }
          if (decoder == null && imageIndex >= 0) {
            ImageLimits limits = limits();
            decoder = new ImageDecoder(limits);
            // Paths under a root go through the resolver every command uses (no '..', no
            // absolute path, no link out of the root).
            store =
                options.imageRoot() == null
                    ? null
                    : new FolderImageStore(Path.of(options.imageRoot()), limits);
          }
          ready.addAll(embed(batch, read, decoder, store));
          read += batch.size();
        }
        return !ready.isEmpty();
      }

      @Override
      public Row next() {
        if (!hasNext()) {
          throw new NoSuchElementException();
        }
        return ready.poll();
      }
    };
  }

  /** Decodes under the pixel limit, subsampling images the model will shrink anyway. */
  private ImageLimits limits() {
    long target = ExecutorModels.withModel(key, m -> m.imageProcessor().config().decodeTarget());
    return new ImageLimits(options.maxImagePixels()).resizedTo(target);
  }

  /** The batch's rows with their embeddings appended; images are decoded outside the model lock. */
  private List<Row> embed(List<Row> batch, long first, ImageDecoder decoder, ImageStore store) {
    List<MultimodalInput> inputs = new ArrayList<>(batch.size());
    for (int i = 0; i < batch.size(); i++) {
      Row row = batch.get(i);
      String text = row.isNullAt(textIndex) ? "" : row.getString(textIndex);
      BufferedImage image =
          imageIndex < 0 || row.isNullAt(imageIndex) ? null : image(row, first + i, decoder, store);
      inputs.add(new MultimodalInput(text, image));
    }
    List<QueryEmbedding> out =
        ExecutorModels.withModel(
            key,
            m ->
                options.reasoning()
                    ? m.embedQueries(
                        inputs,
                        true,
                        GenerationSettings.greedy(options.maxNewTokens(), options.batchSize()))
                    : m.embedCandidates(inputs, options.batchSize()).stream()
                        .map(v -> new QueryEmbedding(v, "", new int[0], false))
                        .toList());
    List<Row> rows = new ArrayList<>(batch.size());
    for (int i = 0; i < batch.size(); i++) {
      float[] vector = out.get(i).vector();
      int bad = NonFinite.firstIndex(vector);
      if (bad >= 0) {
        throw new IllegalStateException(
            where(first + i)
                + ": the model's embedding holds "
                + NonFinite.describe(vector, bad)
                + "; the model's weights or settings are broken");
      }
      rows.add(withEmbedding(batch.get(i), vector, out.get(i).rationale()));
    }
    return rows;
  }

  private BufferedImage image(Row row, long index, ImageDecoder decoder, ImageStore store) {
    try {
      if (imageBytes) {
        byte[] bytes = (byte[]) row.get(imageIndex);
        return decoder.decode(
            new ByteArrayInputStream(bytes), "bytes of column " + options.imageColumn());
      }
      if (store != null) {
        return store.load(row.getString(imageIndex));
      }
      return decoder.decode(Path.of(row.getString(imageIndex)));
    } catch (RuntimeException e) {
      throw new IllegalStateException(where(index) + ": " + e.getMessage(), e);
    }
  }

  private Row withEmbedding(Row row, float[] vector, String rationale) {
    int n = row.length();
    Object[] values = new Object[n + (options.reasoning() ? 2 : 1)];
    for (int i = 0; i < n; i++) {
      values[i] = row.get(i);
    }
    values[n] = vector;
    if (options.reasoning()) {
      values[n + 1] = rationale;
    }
    return RowFactory.create(values);
  }

  /** "partition 3, row 17" (rows counted from 0 within the partition), for errors. */
  private static String where(long row) {
    TaskContext task = TaskContext.get();
    return (task == null ? "" : "partition " + task.partitionId() + ", ") + "row " + row;
  }
}
