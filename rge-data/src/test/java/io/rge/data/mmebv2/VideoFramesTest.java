package io.rge.data.mmebv2;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rge.data.RgeDataException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VideoFramesTest {
  @TempDir Path dir;

  @Test
  void linspaceIndicesWorkedByHand() {
    // 64 frames: step 63/7 = 9 exactly.
    assertArrayEquals(new int[] {0, 9, 18, 27, 36, 45, 54, 63}, VideoFrames.indices(64, 8));
    // 10 frames: i * 9 / 7 = 0, 1.29, 2.57, 3.86, 5.14, 6.43, 7.71, 9 -> truncated.
    assertArrayEquals(new int[] {0, 1, 2, 3, 5, 6, 7, 9}, VideoFrames.indices(10, 8));
    // 9 frames (odd): i * 8 / 7 = 0, 1.14, 2.29, 3.43, 4.57, 5.71, 6.86, 8.
    assertArrayEquals(new int[] {0, 1, 2, 3, 4, 5, 6, 8}, VideoFrames.indices(9, 8));
    // Exactly 8, and fewer: every frame once.
    assertArrayEquals(new int[] {0, 1, 2, 3, 4, 5, 6, 7}, VideoFrames.indices(8, 8));
    assertArrayEquals(new int[] {0, 1, 2}, VideoFrames.indices(3, 8));
    assertArrayEquals(new int[] {0}, VideoFrames.indices(1, 8));
    assertThrows(IllegalArgumentException.class, () -> VideoFrames.indices(0, 8));
  }

  @Test
  void framesAreListedInNaturalOrderAndSampled() throws IOException {
    for (int i = 1; i <= 10; i++) {
      Files.writeString(dir.resolve("frame_" + i + (i == 4 ? ".PNG" : ".jpg")), "x");
    }
    Files.writeString(dir.resolve("notes.txt"), "not a frame");
    List<String> names =
        VideoFrames.list(dir).stream().map(p -> p.getFileName().toString()).toList();
    assertEquals("frame_1.jpg", names.get(0));
    assertEquals("frame_2.jpg", names.get(1));
    assertEquals("frame_4.PNG", names.get(3));
    assertEquals("frame_10.jpg", names.get(9));
    assertEquals(10, names.size());
    List<String> sampled =
        VideoFrames.sample(dir).stream().map(p -> p.getFileName().toString()).toList();
    // Indices 0, 1, 2, 3, 5, 6, 7, 9 of frame_1 .. frame_10.
    assertEquals(
        List.of(
            "frame_1.jpg",
            "frame_2.jpg",
            "frame_3.jpg",
            "frame_4.PNG",
            "frame_6.jpg",
            "frame_7.jpg",
            "frame_8.jpg",
            "frame_10.jpg"),
        sampled);
  }

  @Test
  void aMissingOrEmptyFolderIsNamed() throws IOException {
    RgeDataException e =
        assertThrows(RgeDataException.class, () -> VideoFrames.list(dir.resolve("absent")));
    assertTrue(e.getMessage().contains("absent"), e.getMessage());
    Files.createDirectories(dir.resolve("empty"));
    e = assertThrows(RgeDataException.class, () -> VideoFrames.list(dir.resolve("empty")));
    assertTrue(e.getMessage().contains("no .jpg/.jpeg/.png frame in"), e.getMessage());
  }
}
