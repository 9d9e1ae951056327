package io.rge.data.images;

import java.awt.image.BufferedImage;

/**
 * A store whose rows carry one more leading folder than the store holds: MMEB-train rows say {@code
 * images/CIRR/Train/x.jpg} while a per-subset archive or an extracted folder may start at {@code
 * CIRR/...}. Paths are normalised first, then the prefix is removed; a path without the prefix is
 * not in the store. (The opposite case, an archive with an extra top folder, is {@link
 * ZipImageStore}'s {@code innerRoot}.)
 */
public final class StrippedPrefixImageStore implements ImageStore {
  private final ImageStore inner;
  private final String prefix;

  /**
   * @param prefix leading folder(s) to remove, e.g. "images"
   */
  public StrippedPrefixImageStore(ImageStore inner, String prefix) {
    this.inner = inner;
    this.prefix = ImagePaths.normalise(prefix) + "/";
  }

  @Override
  public boolean contains(String relPath) {
    String stripped = strip(relPath);
    return stripped != null && inner.contains(stripped);
  }

  @Override
  public BufferedImage load(String relPath) {
    String stripped = strip(relPath);
    if (stripped == null) {
      throw new ImageNotFoundException(relPath, describe());
    }
    return inner.load(stripped);
  }

  @Override
  public String describe() {
    return inner.describe() + " (row paths under " + prefix + ")";
  }

  @Override
  public void close() {
    inner.close();
  }

  private String strip(String relPath) {
    String normalised = ImagePaths.normalise(relPath);
    return normalised.startsWith(prefix) && normalised.length() > prefix.length()
        ? normalised.substring(prefix.length())
        : null;
  }
}
