package io.rge.training.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rge.data.images.ImageStore;
import io.rge.data.mmeb.TrainRow;
import io.rge.training.objective.TrainExample;
import java.awt.image.BufferedImage;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ExampleFactoryTest {
  private static final BufferedImage QUERY_IMAGE =
      new BufferedImage(8, 8, BufferedImage.TYPE_INT_RGB);
  private static final BufferedImage NEG_IMAGE =
      new BufferedImage(4, 4, BufferedImage.TYPE_INT_RGB);

  /** A store of two images; anything else is missing. */
  private static final ImageStore STORE =
      new ImageStore() {
        private final Map<String, BufferedImage> images =
            Map.of("q.png", QUERY_IMAGE, "n.png", NEG_IMAGE);

        @Override
        public boolean contains(String relPath) {
          return images.containsKey(relPath);
        }

        @Override
        public BufferedImage load(String relPath) {
          BufferedImage image = images.get(relPath);
          if (image == null) {
            throw new IllegalArgumentException("no " + relPath);
          }
          return image;
        }

        @Override
        public String describe() {
          return "test store";
        }

        @Override
        public void close() {}
      };

  private static final TrainRow ROW =
      new TrainRow(
          "Subset",
          "original",
          3,
          "<|image_1|> name the flip of this colour",
          "q.png",
          "red",
          null,
          "<|image_1|> blue",
          "n.png",
          "the colour is green . flip of green is red .");

  @Test
  void queryKeepsItsPlaceholderAndImageWithRationaleTargetAndNegative() {
    TrainExample e = new ExampleFactory(STORE, true).toExample(ROW);
    assertEquals("<|image_1|> name the flip of this colour", e.query().text());
    assertSame(QUERY_IMAGE, e.query().image());
    assertEquals("the colour is green . flip of green is red .", e.oracleRationale());
    assertEquals("red", e.target().text());
    assertNull(e.target().image());
    assertEquals(1, e.hardNegatives().size());
    assertSame(NEG_IMAGE, e.hardNegatives().get(0).image());
  }

  @Test
  void hardNegativesCanBeTurnedOffAndRowsWithoutRationaleStayContrastiveOnly() {
    TrainExample e = new ExampleFactory(STORE, false).toExample(ROW.withRationale(null));
    assertTrue(e.hardNegatives().isEmpty());
    assertNull(e.oracleRationale());
  }

  @Test
  void anImageWithoutAStoreIsAClearError() {
    IllegalStateException e =
        assertThrows(
            IllegalStateException.class, () -> new ExampleFactory(null, true).toExample(ROW));
    assertEquals(
        "Subset row 3: the query has image 'q.png' but no image source is configured (data.images)",
        e.getMessage());
  }
}
