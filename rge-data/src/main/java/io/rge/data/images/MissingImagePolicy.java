package io.rge.data.images;

/** What to do with a row that references an image the store lacks. */
public enum MissingImagePolicy {
  /** Stop with an {@link ImageNotFoundException} naming the dataset, row and path. */
  FAIL,
  /** Leave the row out; such rows are counted and reported by {@link ImageAvailability}. */
  SKIP_ROW
}
