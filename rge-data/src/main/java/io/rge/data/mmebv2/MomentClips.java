package io.rge.data.mmebv2;

import io.rge.data.RgeDataException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * One QVHighlight / Charades-STA query's frames as MMEB-V2 ships them: {@code
 * video_mret/<Task>/<video>/query/} holds the whole video's frames (the query, with its sentence),
 * and every other sub-folder is a candidate clip; the one named {@code positive…} is the answer
 * (the other nine are negatives). Each folder is sampled with {@link VideoFrames#sample}.
 *
 * @param query the query video's frame folder
 * @param clips the candidate clip folders, sorted by name
 * @param positive the index of the positive clip in {@code clips}
 */
public record MomentClips(Path query, List<Path> clips, int positive) {
  /** The query video's sub-folder. */
  public static final String QUERY = "query";

  /** The positive clip's folder name starts so. */
  public static final String POSITIVE_PREFIX = "positive";

  public MomentClips {
    clips = List.copyOf(clips);
    if (positive < 0 || positive >= clips.size()) {
      throw new IllegalArgumentException("positive " + positive + " is not a clip index");
    }
  }

  /**
   * Reads the folder of one video.
   *
   * @throws RgeDataException naming the folder when it has no {@code query/}, no clip, or not
   *     exactly one {@code positive…} clip
   */
  public static MomentClips read(Path videoDir) {
    Path query = videoDir.resolve(QUERY);
    if (!Files.isDirectory(query)) {
      throw new RgeDataException("moment folder " + videoDir + " has no " + QUERY + "/ sub-folder");
    }
    List<Path> clips;
    try (Stream<Path> entries = Files.list(videoDir)) {
      clips =
          entries
              .filter(Files::isDirectory)
              .filter(p -> !p.getFileName().toString().equals(QUERY))
              .sorted()
              .toList();
    } catch (IOException e) {
      throw new RgeDataException("cannot list " + videoDir + ": " + e.getMessage(), e);
    }
    int positive = -1;
    for (int i = 0; i < clips.size(); i++) {
      if (clips.get(i).getFileName().toString().startsWith(POSITIVE_PREFIX)) {
        if (positive >= 0) {
          throw new RgeDataException(
              "moment folder " + videoDir + " has more than one " + POSITIVE_PREFIX + "* clip");
        }
        positive = i;
      }
    }
    if (positive < 0) {
      throw new RgeDataException(
          "moment folder "
              + videoDir
              + " has no "
              + POSITIVE_PREFIX
              + "* clip among "
              + clips.size());
    }
    return new MomentClips(query, clips, positive);
  }
}
