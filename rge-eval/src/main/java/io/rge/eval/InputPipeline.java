package io.rge.eval;

import io.rge.core.MultimodalInput;
import io.rge.core.PreparedInput;
import io.rge.data.images.ImageStore;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.function.Function;

/**
 * The inputs of an embedding pass, batch by batch, made ready on a background thread ahead of the
 * model: while the model embeds one batch, the next ones' images are loaded and decoded, resized
 * and cut into patches, and their prompts tokenised (the embedder's {@code prepare}). At most
 * {@code ahead} prepared batches wait, plus the one the reader is preparing (the queue is bounded:
 * a slow model stalls the reader, never memory).
 */
final class InputPipeline implements AutoCloseable {
  /** A loaded batch, or the failure that stopped the reader. */
  private record Loaded(List<PreparedInput> inputs, RuntimeException failure) {}

  private final BlockingQueue<Loaded> queue;
  private final Thread reader;
  private final int batches;
  private int taken;

  /**
   * @param batches the items of each batch, in the order they will be taken
   * @param ahead prepared batches that may wait (≥ 1)
   * @param prepare the model-free work on one decoded input; runs on the reader thread
   */
  InputPipeline(
      List<List<EvalItem>> batches,
      ImageStore images,
      String label,
      int ahead,
      Function<MultimodalInput, PreparedInput> prepare) {
    if (ahead < 1) {
      throw new IllegalArgumentException("ahead must be >= 1, got " + ahead);
    }
    this.queue = new ArrayBlockingQueue<>(ahead);
    this.batches = batches.size();
    this.reader =
        new Thread(
            () -> {
              try {
                for (List<EvalItem> batch : batches) {
                  queue.put(load(batch, images, label, prepare));
                }
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt(); // closed early: stop reading
              }
            },
            "rge-inputs-" + label);
    reader.setDaemon(true);
    reader.start();
  }

  /** A batch's inputs, or what stopped them from loading (the consumer rethrows it). */
  private static Loaded load(
      List<EvalItem> batch,
      ImageStore images,
      String label,
      Function<MultimodalInput, PreparedInput> prepare) {
    try {
      List<PreparedInput> inputs = new ArrayList<>(batch.size());
      for (EvalItem item : batch) {
        inputs.add(prepare.apply(EmbeddingPass.input(item, images, label)));
      }
      return new Loaded(inputs, null);
    } catch (RuntimeException e) {
      return new Loaded(null, e);
    }
  }

  /** The next batch's inputs, waiting for the reader when it is behind. */
  List<PreparedInput> next() {
    if (taken >= batches) {
      throw new IllegalStateException("all " + batches + " batches were taken");
    }
    Loaded loaded;
    try {
      loaded = queue.take();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for inputs", e);
    }
    taken++;
    if (loaded.failure() != null) {
      throw loaded.failure();
    }
    return loaded.inputs();
  }

  /** Stops the reader (when batches are left untaken) and waits for it. */
  @Override
  public void close() {
    reader.interrupt();
    try {
      reader.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
