package io.rge.training.data;

import io.rge.core.MultimodalInput;
import io.rge.data.images.ImageStore;
import io.rge.data.mmeb.TrainRow;
import io.rge.training.objective.TrainExample;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns MMEB-train rows into objective examples: the query text (with {@code <|image_1|>} where its
 * image goes) and its decoded image, the oracle rationale when one is attached, the positive
 * target, and the hard negative when the row has one and they are enabled. Images are decoded when
 * a batch is built, so only the current batch's pixels are in memory.
 */
public final class ExampleFactory {
  private final ImageStore images;
  private final boolean hardNegatives;

  /**
   * @param images where the rows' image paths resolve; may be null when no row has an image
   * @param hardNegatives whether rows' hard negatives become candidates
   */
  public ExampleFactory(ImageStore images, boolean hardNegatives) {
    this.images = images;
    this.hardNegatives = hardNegatives;
  }

  public TrainExample toExample(TrainRow row) {
    MultimodalInput query = input(row.qry(), row.qryImagePath(), row, "query");
    MultimodalInput target = input(row.posText(), row.posImagePath(), row, "positive");
    List<MultimodalInput> negatives =
        hardNegatives && row.hasHardNegative()
            ? List.of(input(row.negText(), row.negImagePath(), row, "negative"))
            : List.of();
    return new TrainExample(query, row.rationale(), target, negatives);
  }

  public List<TrainExample> toExamples(List<TrainRow> rows) {
    List<TrainExample> out = new ArrayList<>(rows.size());
    for (TrainRow row : rows) {
      out.add(toExample(row));
    }
    return out;
  }

  private MultimodalInput input(String text, String imagePath, TrainRow row, String side) {
    if (imagePath == null) {
      return MultimodalInput.text(text);
    }
    if (images == null) {
      throw new IllegalStateException(
          row.subset()
              + " row "
              + row.row()
              + ": the "
              + side
              + " has image '"
              + imagePath
              + "' but no image source is configured (data.images)");
    }
    BufferedImage image = images.load(imagePath);
    return new MultimodalInput(text, image);
  }
}
