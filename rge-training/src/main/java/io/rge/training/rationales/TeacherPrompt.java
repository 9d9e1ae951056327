package io.rge.training.rationales;

import io.rge.core.generation.GenerationRequest;
import io.rge.core.image.ImageGrid;
import io.rge.core.image.ProcessedImage;
import io.rge.core.image.QwenImageProcessor;
import io.rge.core.prompt.PromptTokens;
import io.rge.core.prompt.QwenChatPrompts;
import io.rge.data.mmeb.ImagePlaceholder;
import io.rge.data.mmeb.TrainRow;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;

/**
 * The teacher's prompt for one MMEB-train row: the configured template with the row's query and
 * positive target in it, both images in one prompt (the query's first). MMEB marks each side's
 * image with {@code <|image_1|>}; the target's becomes {@code <|image_2|>} when the query has one
 * too, so each placeholder names its image.
 */
public final class TeacherPrompt {
  private final CurationConfig config;
  private final QwenChatPrompts prompts;
  private final QwenImageProcessor images;

  public TeacherPrompt(CurationConfig config, QwenChatPrompts prompts, QwenImageProcessor images) {
    this.config = config;
    this.prompts = prompts;
    this.images = images;
  }

  /**
   * The user turn for {@code row}: the template with {@code {query}}, {@code {target}} and {@code
   * {end_marker}} filled in.
   */
  public String userText(TrainRow row) {
    String query = row.qry();
    String target = row.posText();
    if (row.qryImagePath() != null && row.posImagePath() != null) {
      target = target.replace(ImagePlaceholder.TOKEN, "<|image_2|>");
    }
    String marker = config.endMarker() == null ? "" : config.endMarker();
    // Fill the fixed parts first, so a row text that happens to contain "{target}" stays text.
    String template = config.prompt().replace(CurationConfig.END_MARKER, marker);
    int q = template.indexOf(CurationConfig.QUERY);
    int t = template.indexOf(CurationConfig.TARGET);
    if (q < t) {
      return template.substring(0, q)
          + query
          + template.substring(q + CurationConfig.QUERY.length(), t)
          + target
          + template.substring(t + CurationConfig.TARGET.length());
    }
    return template.substring(0, t)
        + target
        + template.substring(t + CurationConfig.TARGET.length(), q)
        + query
        + template.substring(q + CurationConfig.QUERY.length());
  }

  /**
   * The tokenised prompt and its processed images (query image, then target image; either may be
   * absent).
   *
   * @param queryImage the row's query image, or null when it has none
   * @param targetImage the row's positive image, or null when it has none
   */
  public GenerationRequest request(
      TrainRow row, BufferedImage queryImage, BufferedImage targetImage) {
    if ((queryImage == null) != (row.qryImagePath() == null)
        || (targetImage == null) != (row.posImagePath() == null)) {
      throw new IllegalArgumentException(
          "row " + row.row() + " of " + row.subset() + ": images do not match the row's paths");
    }
    List<ProcessedImage> processed = new ArrayList<>(2);
    for (BufferedImage image : new BufferedImage[] {queryImage, targetImage}) {
      if (image != null) {
        processed.add(images.process(image));
      }
    }
    List<ImageGrid> grids = processed.stream().map(ProcessedImage::grid).toList();
    PromptTokens tokens = prompts.generation(config.system(), userText(row), grids);
    return new GenerationRequest(tokens.ids(), processed);
  }
}
