package io.rge.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rge.core.MultimodalInput;
import io.rge.data.images.ImageNotFoundException;
import io.rge.data.images.ImageStore;
import java.awt.image.BufferedImage;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Batches read ahead on the reader thread come back in order, and a failed read is rethrown. */
class InputPipelineTest {
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
    try (InputPipeline pipeline = new InputPipeline(batches, WIDTHS, "test", 1)) {
      for (List<EvalItem> batch : batches) {
        List<MultimodalInput> inputs = pipeline.next();
        assertEquals(batch.size(), inputs.size());
        for (int i = 0; i < batch.size(); i++) {
          assertEquals(batch.get(i).text(), inputs.get(i).text());
          String path = batch.get(i).imagePath();
          if (path == null) {
            assertNull(inputs.get(i).image());
          } else {
            assertEquals(Integer.parseInt(path), inputs.get(i).image().getWidth());
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
    try (InputPipeline pipeline = new InputPipeline(batches, WIDTHS, "set", 2)) {
      assertEquals(3, pipeline.next().get(0).image().getWidth());
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
    InputPipeline pipeline = new InputPipeline(batches, WIDTHS, "test", 1);
    pipeline.next();
    pipeline.close(); // the reader is blocked on the full queue: close interrupts and joins it
  }
}
