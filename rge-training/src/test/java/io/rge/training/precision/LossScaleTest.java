package io.rge.training.precision;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class LossScaleTest {
  @Test
  void anOverflowHalvesAndResetsTheCount() {
    LossScale s = LossScale.dynamic(3).after(false).after(false);
    assertEquals(new LossScale(65536, 2, 3), s);
    assertEquals(new LossScale(32768, 0, 3), s.after(true));
    assertEquals(new LossScale(16384, 0, 3), s.after(true).after(true));
  }

  @Test
  void theScaleDoublesAfterTheGrowthIntervalOfCleanSteps() {
    LossScale s = LossScale.dynamic(3);
    s = s.after(false).after(false);
    assertEquals(65536, s.scale());
    s = s.after(false); // the third clean step in a row
    assertEquals(new LossScale(131072, 0, 3), s);
    // An overflow in between restarts the count.
    LossScale interrupted = LossScale.dynamic(3).after(false).after(true).after(false).after(false);
    assertEquals(new LossScale(32768, 2, 3), interrupted);
  }

  @Test
  void theDefaultsAreGradScalers() {
    assertEquals(new LossScale(65536, 0, 2000), LossScale.dynamic());
    LossScale s = LossScale.dynamic();
    for (int i = 0; i < 1999; i++) {
      s = s.after(false);
    }
    assertEquals(65536, s.scale());
    assertEquals(131072, s.after(false).scale());
  }

  @Test
  void noScalingNeverChanges() {
    assertFalse(LossScale.none().isDynamic());
    assertEquals(LossScale.none(), LossScale.none().after(true).after(false));
    assertThrows(IllegalArgumentException.class, () -> new LossScale(2, 0, 0));
    assertThrows(IllegalArgumentException.class, () -> new LossScale(8, 3, 3));
  }

  @Test
  void aSavedScaleResumesExactly() throws Exception {
    ObjectMapper json = new ObjectMapper();
    LossScale s = LossScale.dynamic(5).after(true).after(false).after(false);
    String text = json.writeValueAsString(s);
    assertEquals("{\"scale\":32768.0,\"clean_steps\":2,\"growth_interval\":5}", text);
    LossScale back = json.readValue(text, LossScale.class);
    assertEquals(s, back);
    // The resumed machine continues as the uninterrupted one: three more clean steps double it.
    assertEquals(
        s.after(false).after(false).after(false), back.after(false).after(false).after(false));
    assertEquals(65536, back.after(false).after(false).after(false).scale());
  }
}
