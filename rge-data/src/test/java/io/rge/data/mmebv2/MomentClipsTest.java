package io.rge.data.mmebv2;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rge.data.RgeDataException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MomentClipsTest {
  @TempDir Path dir;

  @Test
  void aHandMadeMomentRowHasItsQueryVideoAndTenClips() throws IOException {
    Path video = dir.resolve("video_mret/QVHighlight/vid_01");
    Files.createDirectories(video.resolve("query"));
    for (int i = 0; i < 9; i++) {
      Files.createDirectories(video.resolve("negative_" + i));
    }
    Files.createDirectories(video.resolve("positive_3"));
    Files.writeString(video.resolve("meta.json"), "{}");

    MomentClips clips = MomentClips.read(video);
    assertEquals(video.resolve("query"), clips.query());
    assertEquals(10, clips.clips().size());
    // Sorted by name: negative_0 .. negative_8, then positive_3.
    assertEquals(9, clips.positive());
    assertEquals("positive_3", clips.clips().get(clips.positive()).getFileName().toString());
    assertEquals("negative_0", clips.clips().get(0).getFileName().toString());
  }

  @Test
  void noOrTwoPositivesOrNoQueryAreErrorsNamingTheFolder() throws IOException {
    Path video = dir.resolve("v");
    Files.createDirectories(video.resolve("negative_0"));
    RgeDataException e = assertThrows(RgeDataException.class, () -> MomentClips.read(video));
    assertTrue(e.getMessage().contains("no query/"), e.getMessage());
    Files.createDirectories(video.resolve("query"));
    e = assertThrows(RgeDataException.class, () -> MomentClips.read(video));
    assertTrue(e.getMessage().contains("no positive* clip"), e.getMessage());
    Files.createDirectories(video.resolve("positive_a"));
    Files.createDirectories(video.resolve("positive_b"));
    e = assertThrows(RgeDataException.class, () -> MomentClips.read(video));
    assertTrue(e.getMessage().contains(video.toString()), e.getMessage());
    assertTrue(e.getMessage().contains("more than one"), e.getMessage());
  }

  @Test
  void momentSeekerQueryKindFollowsInputFrames() {
    assertEquals(MomentSeekerQuery.VIDEO, MomentSeekerQuery.of("movie101/77.mp4"));
    assertEquals(MomentSeekerQuery.IMAGE, MomentSeekerQuery.of("frame_12.jpg"));
    assertEquals(MomentSeekerQuery.TEXT, MomentSeekerQuery.of(""));
    assertEquals(MomentSeekerQuery.TEXT, MomentSeekerQuery.of(null));
    assertTrue(MomentSeekerQuery.VIDEO.instruction().contains("video segment"));
  }
}
