package io.rge.cli.quickstart;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HeldOutPlotTest {
  @TempDir Path dir;

  private static SplitScores heldOut(long step, double overall) {
    return new SplitScores(step, QuickstartLayout.HELD_OUT, Map.of(), overall, null, Map.of());
  }

  private static ModeScores mode(String id, long seed, SplitScores selected, SplitScores last) {
    return new ModeScores(id, seed, selected, last, selected);
  }

  @Test
  void drawsOneLineInItsColourPerModeAsAPng() throws Exception {
    Map<Long, Map<String, ModeScores>> scores = new LinkedHashMap<>();
    for (long seed : new long[] {0, 1}) {
      Map<String, ModeScores> bySeed = new LinkedHashMap<>();
      bySeed.put("rge", mode("rge", seed, heldOut(300, 60 + seed), heldOut(400, 55)));
      // Chosen = last: one point at step 400.
      bySeed.put("baseline", mode("baseline", seed, heldOut(400, 30), heldOut(400, 30)));
      bySeed.put(
          "oracle-leak", mode("oracle-leak", seed, heldOut(300, 20), heldOut(400, Double.NaN)));
      scores.put(seed, bySeed);
    }
    Path file = dir.resolve(HeldOutPlot.FILE);
    HeldOutPlot.write(file, scores, Variant.DEFAULTS);

    byte[] bytes = Files.readAllBytes(file);
    assertEquals(0x89, bytes[0] & 0xff);
    assertEquals("PNG", new String(bytes, 1, 3, java.nio.charset.StandardCharsets.US_ASCII));
    BufferedImage image = ImageIO.read(file.toFile());
    assertNotNull(image);
    assertEquals(HeldOutPlot.WIDTH, image.getWidth());
    assertEquals(HeldOutPlot.HEIGHT, image.getHeight());
    Set<Integer> colours = new HashSet<>();
    for (int y = 0; y < image.getHeight(); y++) {
      for (int x = 0; x < image.getWidth(); x++) {
        colours.add(image.getRGB(x, y) & 0xffffff);
      }
    }
    for (Variant mode : Variant.DEFAULTS) {
      assertTrue(
          colours.contains(HeldOutPlot.COLOURS.get(mode.id()).getRGB() & 0xffffff),
          mode.id() + "'s colour is drawn");
    }
  }
}
