package io.rge.training.rationales;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rge.core.config.ConfigException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The default template (configs/rationales-teacher.yaml, shipped on the class path) and checks. */
class CurationConfigTest {
  @TempDir Path dir;

  @Test
  void theDefaultAsksForTheMarkerItFiltersOn() {
    CurationConfig c = CurationConfig.defaults(List.of());
    assertEquals("[END]", c.endMarker());
    assertEquals("<|im_end|>", c.stopToken());
    assertTrue(c.prompt().contains("{end_marker}"));
    assertTrue(c.filters().dropUnterminated());
    assertTrue(c.filters().refusals().contains("i'm sorry"));
    assertTrue(
        c.filters().maxRationaleTokens() < c.maxNewTokens(),
        "an over-long rationale must be distinguishable from one cut by the limit");
    assertEquals(4, CurationConfig.defaults(List.of("batch_size=4")).batchSize());
  }

  @Test
  void aPromptWithoutTheTargetIsAnErrorNamingTheFile() throws Exception {
    Path file = dir.resolve("t.yaml");
    Files.writeString(file, "prompt: \"why {query}?\"\n");
    ConfigException e =
        assertThrows(ConfigException.class, () -> CurationConfig.load(file, List.of()));
    assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
    assertTrue(e.getMessage().contains("{target} exactly once, found 0"), e.getMessage());
  }
}
