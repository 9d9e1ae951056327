package io.rge.core.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Hand-computed cases of transformers' {@code smart_resize} (factor 28). */
class SmartResizeTest {
  private static final long MIN = 3136;
  private static final long MAX = 1003520;

  @Test
  void roundsHalfToEvenLikePython() {
    // 70 / 28 = 2.5 -> 2 (half-up would give 3); 98 / 28 = 3.5 -> 4.
    assertEquals(new ImageSize(56, 112), SmartResize.fit(70, 98, 28, MIN, MAX));
  }

  @Test
  void multiplesOfTheFactorStay() {
    assertEquals(new ImageSize(56, 84), SmartResize.fit(56, 84, 28, MIN, MAX));
  }

  @Test
  void downscalesWithFloorToFitMaxPixels() {
    // round gives 1204 x 1596 (1.92 Mpx > max); beta = sqrt(1.92e6 / 1003520) = 1.3832;
    // floor(1200 / beta / 28) = 30 -> 840, floor(1600 / beta / 28) = 41 -> 1148.
    assertEquals(new ImageSize(840, 1148), SmartResize.fit(1200, 1600, 28, MIN, MAX));
  }

  @Test
  void upscalesWithCeilToReachMinPixels() {
    // round gives 28 x 28 = 784 < 3136; beta = sqrt(3136 / 400) = 2.8; ceil(20 * 2.8 / 28) = 2.
    assertEquals(new ImageSize(56, 56), SmartResize.fit(20, 20, 28, MIN, MAX));
    // 10 x 100: round gives 0 x 112; beta = sqrt(3136 / 1000); ceil(17.7 / 28) = 1, ceil(177 / 28)
    // = 7.
    assertEquals(new ImageSize(28, 196), SmartResize.fit(10, 100, 28, MIN, MAX));
  }

  @Test
  void extremeAspectRatiosAreRefused() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> SmartResize.fit(10, 2010, 28, MIN, MAX));
    assertTrue(e.getMessage().contains("aspect ratio"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> SmartResize.fit(0, 10, 28, MIN, MAX));
  }
}
