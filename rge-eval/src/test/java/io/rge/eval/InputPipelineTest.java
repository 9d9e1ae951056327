package io.rge.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rge.core.MultimodalInput;
import io.rge.core.PreparedInput;
import io.rge.data.images.ImageNotFoundException;
import io.rge.data.images.ImageStore;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * Batches read and prepared ahead on the reader thread come back in order, no more than the bound
 * wait, and a failed read is rethrown.
 */
class InputPipelineTest {
  /** Keeps the decoded input as it is. */
  private static final Function<MultimodalInput, PreparedInput> AS_IS =
      in -> PreparedInput.unprocessed(in, false);

  /** Images whose width is the number in their name; "missing" is not there. */
  private static final ImageStore WIDTHS =
      new ImageStore() {
        @Override
        public boolean contains(String relPath) {
          return !relPath.equals("missing");
        }

        @Override
        public BufferedImage load(String relPath) {
          if (!contains(relPath)) {
            throw new ImageNotFoundException(relPath, describe());
          }
          return new BufferedImage(Integer.parseInt(relPath), 1, BufferedImage.TYPE_INT_RGB);
        }

        @Override
        public String describe() {
          return "widths";
        }

        @Override
        public void close() {}
      };

  @Test
  void batchesComeBackInOrderWithTheirImages() {
    List<List<EvalItem>> batches =
        List.of(
            List.of(new EvalItem("a", "3"), new EvalItem("b", null)),
            List.of(new EvalItem("c", "5")),
            List.of(new EvalItem("d", "7"), new EvalItem("e", "9")));
    try (InputPipeline pipeline = new InputPipeline(batches, WIDTHS, "test", 1, AS_IS)) {
      for (List<EvalItem> batch : batches) {
        List<PreparedInput> inputs = pipeline.next();
        assertEquals(batch.size(), inputs.size());
        for (int i = 0; i < batch.size(); i++) {
          MultimodalInput input = inputs.get(i).source();
          assertEquals(batch.get(i).text(), input.text());
          String path = batch.get(i).imagePath();
          if (path == null) {
            assertNull(input.image());
          } else {
            assertEquals(Integer.parseInt(path), input.image().getWidth());
          }
        }
      }
      assertThrows(IllegalStateException.class, pipeline::next, "every batch was taken");
    }
  }

  @Test
  void aReadFailureReachesTheConsumerAtItsBatch() {
    List<List<EvalItem>> batches =
        List.of(List.of(new EvalItem("a", "3")), List.of(new EvalItem("b", "missing")));
    try (InputPipeline pipeline = new InputPipeline(batches, WIDTHS, "set", 2, AS_IS)) {
      assertEquals(3, pipeline.next().get(0).source().image().getWidth());
      IllegalStateException e = assertThrows(IllegalStateException.class, pipeline::next);
      assertTrue(e.getMessage().contains("set: cannot load image missing"), e.getMessage());
    }
  }

  @Test
  void closingEarlyStopsTheReader() {
    List<List<EvalItem>> batches =
        List.of(
            List.of(new EvalItem("a", "3")),
            List.of(new EvalItem("b", "4")),
            List.of(new EvalItem("c", "5")));
    InputPipeline pipeline = new InputPipeline(batches, WIDTHS, "test", 1, AS_IS);
    pipeline.next();
    pipeline.close(); // the reader is blocked on the full queue: close interrupts and joins it
  }

  @Test
  void aSlowConsumerHoldsTheReaderAtTheBoundAndGetsEveryBatchInOrder() throws InterruptedException {
    int ahead = 2;
    int batchSize = 3;
    List<List<EvalItem>> batches = new ArrayList<>();
    for (int b = 0; b < 12; b++) {
      List<EvalItem> batch = new ArrayList<>();
      for (int i = 0; i < batchSize; i++) {
        batch.add(new EvalItem("item " + (b * batchSize + i), null));
      }
      batches.add(batch);
    }
    AtomicInteger prepared = new AtomicInteger();
    Function<MultimodalInput, PreparedInput> counting =
        in -> {
          prepared.incrementAndGet();
          return PreparedInput.unprocessed(in, true);
        };
    int maxAhead = 0;
    try (InputPipeline pipeline = new InputPipeline(batches, WIDTHS, "test", ahead, counting)) {
      for (int b = 0; b < batches.size(); b++) {
        // The model is slow: the reader has all the time it wants to run ahead.
        Thread.sleep(20);
        maxAhead = Math.max(maxAhead, prepared.get() - b * batchSize);
        List<PreparedInput> inputs = pipeline.next();
        for (int i = 0; i < batchSize; i++) {
          assertEquals("item " + (b * batchSize + i), inputs.get(i).source().text());
          assertTrue(inputs.get(i).forGeneration(), "prepared by the pipeline's function");
        }
      }
    }
    // The queue's batches plus the one the reader is preparing when it blocks.
    assertTrue(
        maxAhead <= (ahead + 1) * batchSize,
        maxAhead + " inputs prepared ahead of the consumer, bound " + (ahead + 1) * batchSize);
    assertEquals(batches.size() * batchSize, prepared.get());
  }
}
