package io.rge.testfixtures;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class TestFixturesTest {
  @Test
  void theTinyModelIsAFolderOfTheFilesTheLoadersRead() {
    Path tiny = TestFixtures.tinyModel();
    for (String name :
        new String[] {
          "config.json", "model.safetensors", "tokenizer.json", "preprocessor_config.json"
        }) {
      assertTrue(Files.isRegularFile(tiny.resolve(name)), tiny.resolve(name).toString());
    }
    assertEquals(TestFixtures.root().resolve("qwen25vl-tiny"), tiny);
  }

  @Test
  void aFileIsTheSameBytesAsItsClassPathResource() throws IOException {
    String name = "configs/qwen2.5-vl-3b-instruct.json";
    try (InputStream in =
        TestFixtures.class.getResourceAsStream(TestFixtures.RESOURCE_ROOT + "/" + name)) {
      assertEquals(
          new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8),
          Files.readString(TestFixtures.file(name)));
    }
  }

  @Test
  void anUnknownOrEscapingNameIsRefused() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> TestFixtures.file("nothing.json"));
    assertEquals("no test fixture 'nothing.json' in " + TestFixtures.root(), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> TestFixtures.file("../pom.xml"));
  }
}
