package io.rge.eval;

import io.rge.data.images.ImageNotFoundException;
import io.rge.data.images.ImagePaths;
import io.rge.data.images.ImageStore;
import java.awt.image.BufferedImage;

/** The image store of data without an image source: it holds nothing. */
final class NoImages implements ImageStore {
  @Override
  public boolean contains(String relPath) {
    ImagePaths.normalise(relPath);
    return false;
  }

  @Override
  public BufferedImage load(String relPath) {
    throw new ImageNotFoundException(relPath, describe());
  }

  @Override
  public String describe() {
    return "no image source";
  }

  @Override
  public void close() {}
}
