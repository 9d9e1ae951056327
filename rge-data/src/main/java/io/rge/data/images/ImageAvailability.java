package io.rge.data.images;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Checks that every image a row references exists in the store before the row is used, applying the
 * {@link MissingImagePolicy}. Checking reads archive directories only, never pixels. Not
 * thread-safe.
 */
public final class ImageAvailability {
  private static final int EXAMPLES = 20;

  private final ImageStore store;
  private final MissingImagePolicy policy;
  private long checkedRows;
  private long skippedRows;
  private long missingImages;
  private final List<String> examples = new ArrayList<>();

  public ImageAvailability(ImageStore store, MissingImagePolicy policy) {
    this.store = store;
    this.policy = policy;
  }

  /**
   * Whether the row's images are all present.
   *
   * @return true to keep the row; false (only under {@link MissingImagePolicy#SKIP_ROW}) to leave
   *     it out
   * @throws ImageNotFoundException under {@link MissingImagePolicy#FAIL}, naming dataset, row and
   *     path
   * @throws UnsafeImagePathException for a path that escapes the root, whatever the policy
   */
  public boolean admit(String dataset, long row, Collection<String> paths) {
    checkedRows++;
    int missingHere = 0;
    for (String path : paths) {
      if (!store.contains(path)) {
        if (policy == MissingImagePolicy.FAIL) {
          throw new ImageNotFoundException(dataset, row, path, store.describe());
        }
        missingHere++;
        if (examples.size() < EXAMPLES) {
          examples.add(dataset + " row " + row + ": " + path);
        }
      }
    }
    if (missingHere > 0) {
      missingImages += missingHere;
      skippedRows++;
      return false;
    }
    return true;
  }

  public long checkedRows() {
    return checkedRows;
  }

  public long skippedRows() {
    return skippedRows;
  }

  public long missingImages() {
    return missingImages;
  }

  /** The first few missing images, as "dataset row N: path". */
  public List<String> missingExamples() {
    return List.copyOf(examples);
  }

  /** One line for logs: rows checked and skipped, images missing. */
  public String summary() {
    return "checked "
        + checkedRows
        + " rows against "
        + store.describe()
        + ": skipped "
        + skippedRows
        + " rows with "
        + missingImages
        + " missing images"
        + (examples.isEmpty() ? "" : ", e.g. " + examples.get(0));
  }
}
