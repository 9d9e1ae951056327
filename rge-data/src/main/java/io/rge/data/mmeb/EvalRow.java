package io.rge.data.mmeb;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One MMEB-eval row: a query and its candidates, candidate 0 being the positive.
 *
 * @param dataset dataset name (the folder name, e.g. "ImageNet-1K")
 * @param row 0-based index over the dataset's parquet files in file order
 * @param qryText query text; contains {@link ImagePlaceholder#TOKEN} exactly when {@code
 *     qryImagePath} is set
 * @param qryImagePath query image path relative to the image root, or null for a text-only query
 * @param candidateTexts candidate texts, at least one; index 0 is the positive
 * @param candidateImagePaths candidate image paths, same length as {@code candidateTexts}; null
 *     entries have no image
 */
public record EvalRow(
    String dataset,
    long row,
    String qryText,
    String qryImagePath,
    List<String> candidateTexts,
    List<String> candidateImagePaths) {

  public EvalRow {
    Objects.requireNonNull(dataset, "dataset");
    Objects.requireNonNull(qryText, "qryText");
    if (row < 0) {
      throw new IllegalArgumentException("row must be >= 0, got " + row);
    }
    if (candidateTexts.isEmpty() || candidateTexts.size() != candidateImagePaths.size()) {
      throw new IllegalArgumentException(
          "need at least one candidate and as many image paths as texts, got "
              + candidateTexts.size()
              + " texts and "
              + candidateImagePaths.size()
              + " image paths");
    }
    if (candidateTexts.contains(null)) {
      throw new IllegalArgumentException("candidate texts must not be null");
    }
    candidateTexts = List.copyOf(candidateTexts);
    candidateImagePaths = ParquetColumns.frozen(candidateImagePaths);
  }

  public Optional<String> qryImage() {
    return Optional.ofNullable(qryImagePath);
  }

  public int candidateCount() {
    return candidateTexts.size();
  }

  public Optional<String> candidateImage(int index) {
    return Optional.ofNullable(candidateImagePaths.get(index));
  }

  /** Every image path the row references (query first, then candidates in order), without nulls. */
  public List<String> imagePaths() {
    List<String> paths = new ArrayList<>(candidateImagePaths.size() + 1);
    if (qryImagePath != null) {
      paths.add(qryImagePath);
    }
    for (String path : candidateImagePaths) {
      if (path != null) {
        paths.add(path);
      }
    }
    return paths;
  }
}
