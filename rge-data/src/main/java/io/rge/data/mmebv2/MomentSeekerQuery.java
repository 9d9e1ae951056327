package io.rge.data.mmebv2;

/**
 * The three kinds of MomentSeeker query, told apart by the row's {@code input_frames}: a video
 * segment ({@code ….mp4}), an image ({@code ….jpg}) or none (text only). Each has its own
 * instruction in the reference's loader ({@code src/data/eval_dataset/momentseeker_dataset.py}).
 */
public enum MomentSeekerQuery {
  TEXT("Find the clip that corresponds to the given text:"),
  IMAGE("Select the video clip that aligns with the given text and image:"),
  VIDEO("Find the clip that corresponds to the given sentence and video segment:");

  /** The instruction every MomentSeeker candidate clip is embedded with. */
  public static final String CANDIDATE_INSTRUCTION =
      "Understand the content of the provided video clip.";

  private final String instruction;

  MomentSeekerQuery(String instruction) {
    this.instruction = instruction;
  }

  public String instruction() {
    return instruction;
  }

  /** The kind of a row with this {@code input_frames} value (null or empty: text). */
  public static MomentSeekerQuery of(String inputFrames) {
    if (inputFrames != null && inputFrames.endsWith(".mp4")) {
      return VIDEO;
    }
    if (inputFrames != null && inputFrames.endsWith(".jpg")) {
      return IMAGE;
    }
    return TEXT;
  }
}
