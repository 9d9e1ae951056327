package io.rge.eval;

import io.rge.data.images.ImageLimits;
import io.rge.data.images.ImageStore;
import java.io.Serializable;
import java.nio.file.Path;

/**
 * Where an evaluation's images come from, as a value that can be shipped to other machines
 * (rge-spark's executors) and opened there the way the evaluation opens it.
 *
 * @param path a zip or folder, or null for none
 * @param sample an image path the data references (finds a top folder that wraps the images), or
 *     null
 * @param limits the pixel limit and resize target images are decoded under
 */
public record ImageSource(String path, String sample, ImageLimits limits) implements Serializable {
  /** Opens the source; the caller closes it. */
  public ImageStore open() {
    return ImageSourceOpener.open(path == null ? null : Path.of(path), sample, limits);
  }
}
