package io.rge.data.inspect;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * What {@code rge data inspect} found, printed as JSON.
 *
 * @param root the folder inspected
 * @param kind "mmeb-eval", "mmeb-train", "mixed" or "rge-synth"
 * @param images the image store used, or null when images were not checked
 * @param rationales the rationale folder used, or null
 * @param datasets one report per dataset folder (and split)
 * @param errorCount structural errors found in total
 * @param errors every structural error, each naming file/dataset/row
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record InspectReport(
    String root,
    String kind,
    String images,
    String rationales,
    List<DatasetReport> datasets,
    long errorCount,
    List<String> errors) {

  public boolean ok() {
    return errorCount == 0;
  }

  /**
   * One dataset (eval) or subset split (train).
   *
   * @param name folder path relative to the root
   * @param format "eval" or "train"
   * @param split the split read ("test" for eval)
   * @param files parquet files read
   * @param rows rows read
   * @param candidatesPerRow min and max candidates per row (eval only)
   * @param hardNegatives rows with a hard negative (train only)
   * @param images image counts, or null when no image store was given
   * @param rationales rationale coverage (train only, when a rationale file exists)
   * @param errorCount structural errors in this dataset
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record DatasetReport(
      String name,
      String format,
      String split,
      int files,
      long rows,
      Range candidatesPerRow,
      Long hardNegatives,
      ImageCounts images,
      RationaleCounts rationales,
      long errorCount) {}

  /** Inclusive range. */
  public record Range(int min, int max) {}

  /**
   * Distinct image paths referenced, and how many the store holds.
   *
   * @param decodeFailures images found but not decodable (only counted with --decode-images)
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record ImageCounts(long referenced, long found, long missing, Long decodeFailures) {}

  /** Rationale file, rows it covers, rows of the subset, and the ratio. */
  public record RationaleCounts(String file, long covered, long rows, double coverage) {}
}
