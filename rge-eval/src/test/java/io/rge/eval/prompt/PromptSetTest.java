package io.rge.eval.prompt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rge.core.config.ConfigException;
import io.rge.data.registry.DatasetRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PromptSetTest {
  @TempDir Path dir;

  private static final String FILE =
      """
      name: test-set
      description: for tests
      datasets:
        ImageNet-1K:
          query_replaces: "Represent the given image for classification"
          query_instruction: "Name the main object"
          candidate_prefix: "Category: "
        HatefulMemes:
          query_instruction: "Is this hateful?"
          candidate_values:
            "Yes": "yes, hateful"
            "No": "no, harmless"
        CIRR:
          candidate_replaces: "Represent the given image"
          candidate_instruction: "Summarize the image"
      """;

  private PromptSet load(String yaml) throws IOException {
    Path file = dir.resolve("prompts.yaml");
    Files.writeString(file, yaml);
    return PromptSet.load(file);
  }

  @Test
  void mmebKeepsEveryText() {
    PromptSet mmeb = PromptSet.mmeb();
    String q = "<|image_1|> Represent the given image for classification";
    assertEquals(q, mmeb.query("ImageNet-1K", q));
    assertEquals("tench", mmeb.candidate("ImageNet-1K", "tench"));
    assertEquals("mmeb", mmeb.id());
    assertFalse(mmeb.rewrites("ImageNet-1K"));
    assertEquals(mmeb, PromptSet.resolve("MMEB", null));
  }

  @Test
  void queryInstructionReplacesTheMmebInstructionAfterTheImage() throws IOException {
    PromptSet set = load(FILE);
    assertEquals(
        "<|image_1|> Name the main object",
        set.query("ImageNet-1K", "<|image_1|> Represent the given image for classification"));
    assertEquals(
        "<|image_1|>\nName the main object.",
        set.query("ImageNet-1K", "<|image_1|>\nRepresent the given image for classification."));
    // Text-only query: the instruction position is the start.
    assertEquals(
        "Name the main object: a fox",
        set.query("ImageNet-1K", "Represent the given image for classification: a fox"));
  }

  @Test
  void anUnmatchedOrUnnamedInstructionIsInserted() throws IOException {
    PromptSet set = load(FILE);
    String other = "<|image_1|> Identify the object shown in the image";
    assertTrue(set.queryUnmatched("ImageNet-1K", other));
    assertEquals(
        "<|image_1|> Name the main object\nIdentify the object shown in the image",
        set.query("ImageNet-1K", other));
    // No query_replaces: always inserted, never reported as unmatched.
    assertEquals(
        "<|image_1|> Is this hateful?\nRepresent the given image",
        set.query("HatefulMemes", "<|image_1|> Represent the given image"));
    assertFalse(set.queryUnmatched("HatefulMemes", "anything"));
    assertFalse(
        set.queryUnmatched(
            "ImageNet-1K", "<|image_1|> Represent the given image for classification"));
  }

  @Test
  void candidateRewrites() throws IOException {
    PromptSet set = load(FILE);
    assertEquals("Category: tench", set.candidate("ImageNet-1K", "tench"));
    assertEquals("yes, hateful", set.candidate("HatefulMemes", "Yes"));
    assertEquals("Maybe", set.candidate("HatefulMemes", "Maybe"));
    assertEquals(
        "<|image_1|> Summarize the image.",
        set.candidate("CIRR", "<|image_1|> Represent the given image."));
    assertEquals(
        "<|image_1|> A caption", set.candidate("CIRR", "<|image_1|> A caption"), "no insertion");
    assertEquals("untouched", set.candidate("VisDial", "untouched"));
    assertTrue(set.rewrites("CIRR"));
    assertFalse(set.rewrites("VisDial"));
  }

  @Test
  void trailingNewlineAppliesToEveryDataset() throws IOException {
    PromptSet set = load(FILE.replace("description: for tests", "trailing_newline: true"));
    assertEquals("Category: tench\n", set.candidate("ImageNet-1K", "tench"));
    assertEquals("other\n", set.query("VisDial", "other"));
    assertEquals("kept\n", set.query("VisDial", "kept\n"), "never a second newline");
    assertTrue(set.rewrites("VisDial"));
  }

  @Test
  void theIdFollowsTheRewritesNotTheDescription() throws IOException {
    PromptSet a = load(FILE);
    assertTrue(a.id().startsWith("test-set-"), a.id());
    assertEquals(a.id(), load(FILE.replace("for tests", "reworded")).id());
    assertNotEquals(a.id(), load(FILE.replace("Category: ", "Class: ")).id());
    assertEquals("test-set", a.name());
    assertEquals(dir.resolve("prompts.yaml"), a.source().orElseThrow());
  }

  @Test
  void malformedFilesNameTheProblem() {
    ConfigException unknown =
        assertThrows(
            ConfigException.class, () -> load(FILE.replace("candidate_prefix", "candidate_prefx")));
    assertTrue(unknown.getMessage().contains("prompts.yaml:7:"), unknown.getMessage());
    assertTrue(unknown.getMessage().contains("candidate_prefx"), unknown.getMessage());

    Exception alone =
        assertThrows(
            Exception.class,
            () -> load(FILE.replace("    candidate_instruction: \"Summarize the image\"\n", "")));
    assertTrue(alone.getMessage().contains("candidate_replaces"), alone.getMessage());

    Exception reserved =
        assertThrows(Exception.class, () -> load(FILE.replace("test-set", "mmeb")));
    assertTrue(reserved.getMessage().contains("reserved"), reserved.getMessage());
  }

  /** The shipped RGE prompts cover the 36 MMEB datasets and match MMEB's stored instructions. */
  @Test
  void shippedRgePromptsLoadAndRewriteMmebTexts() {
    PromptSet rge = PromptSet.load(Path.of("..", "configs", "prompts-rge.yaml"));
    assertEquals("rge-paper", rge.name());
    for (String name : DatasetRegistry.mmeb().names()) {
      assertTrue(rge.rewrites(name), name);
    }
    // Texts as MMEB-eval stores them.
    assertEquals(
        "<|image_1|>\nIdentify the category of the main object in the given image for"
            + " classification\n",
        rge.query("ImageNet-1K", "<|image_1|>\nRepresent the given image for classification"));
    assertEquals(
        "Summarize the following object category in one word: tench\n",
        rge.candidate("ImageNet-1K", "tench"));
    assertEquals(
        "<|image_1|>\nAnswer a chart-related question based on the given image: What is the peak?\n",
        rge.query(
            "ChartQA",
            "<|image_1|>\nRepresent the given image with the following question: What is the peak?"));
    assertEquals(
        "<|image_1|>\nSummarize the given image in one word.\n",
        rge.candidate("MSCOCO_t2i", "<|image_1|>\nRepresent the given image."));
    assertEquals(
        "Summarize the following statement in one word: No, it does not contain hateful speech.\n",
        rge.candidate("HatefulMemes", "No"));
    assertFalse(
        rge.queryUnmatched(
            "MSCOCO", "<|image_1|>\nCrop the image to to isolate the object labeled as \"dog\""));
  }
}
