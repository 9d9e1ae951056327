package io.rge.cli.eval;

import io.rge.core.RgeModel;
import io.rge.core.image.ImageProcessorConfig;
import io.rge.data.images.ImageLimits;

/**
 * The image limits a command decodes under once it knows the model: its processor resizes every
 * image to at most {@code max_pixels}, so larger images are decoded subsampled.
 */
final class ImageSizes {
  private ImageSizes() {}

  static ImageLimits limits(ImageLimits limits, RgeModel model) {
    return limits(limits, model.imageProcessor().config());
  }

  static ImageLimits limits(ImageLimits limits, ImageProcessorConfig processor) {
    return limits.resizedTo(processor.decodeTarget());
  }
}
