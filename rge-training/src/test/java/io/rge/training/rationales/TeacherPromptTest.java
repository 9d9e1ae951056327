package io.rge.training.rationales;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rge.core.RgeModel;
import io.rge.core.generation.GenerationRequest;
import io.rge.core.tokenizer.QwenTokenizer;
import io.rge.data.mmeb.TrainRow;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The teacher's prompt: both sides' texts in the template, both images in one prompt. */
class TeacherPromptTest {
  private static final CurationConfig CONFIG = FixtureTeacher.keepEverything(3, 2);

  private static TrainRow row(String qry, String qryImage, String pos, String posImage) {
    return new TrainRow("S", "original", 0, qry, qryImage, pos, posImage, null, null, null);
  }

  private static TeacherPrompt prompt() {
    RgeModel model = FixtureTeacher.model();
    return new TeacherPrompt(CONFIG, model.prompts(), model.imageProcessor());
  }

  @Test
  void theTargetImageBecomesTheSecondImageWhenTheQueryHasOne() {
    TrainRow both =
        row("<|image_1|> find this {target} shape", "q.png", "<|image_1|> a red circle", "p.png");
    assertEquals(
        "Query: <|image_1|> find this {target} shape\nTarget: <|image_2|> a red circle\n"
            + "Why does the target answer the query?",
        prompt().userText(both));
    TrainRow textQuery = row("find a red circle", null, "<|image_1|> represent it", "p.png");
    assertTrue(prompt().userText(textQuery).contains("Target: <|image_1|> represent it"));
  }

  @Test
  void aQueryImageAndATargetImageGiveTwoBlocksOfTheirOwnSizes() {
    QwenTokenizer tokenizer = FixtureTeacher.model().tokenizer();
    TrainRow both = row("<|image_1|> find this shape", "q.png", "<|image_1|> a shape", "p.png");
    // 56 x 56 px: a 4 x 4 grid of 14-px patches, 2 x 2 merged: 4 tokens. 84 x 56 (w x h): 4 x 6
    // patches, 6 tokens. Both are multiples of 28 within the fixture's pixel limits: no resize.
    GenerationRequest request =
        prompt().request(both, new BufferedImage(56, 56, 1), new BufferedImage(84, 56, 1));
    int[] ids = request.promptIds();
    List<Integer> blockSizes = new ArrayList<>();
    int pads = -1;
    for (int id : ids) {
      if (id == tokenizer.visionStartId()) {
        pads = 0;
      } else if (id == tokenizer.imagePadId()) {
        pads++;
      } else if (id == tokenizer.visionEndId()) {
        blockSizes.add(pads);
        pads = -1;
      }
    }
    assertEquals(List.of(4, 6), blockSizes, "query block first, then the target's");
    assertEquals(2, request.images().size());
    assertEquals(16, request.images().get(0).grid().patches());
    assertEquals(24, request.images().get(1).grid().patches());
    // The generation prompt ends with the assistant header, and the model runs on it.
    TeacherOutput out =
        TeacherGenerator.of(FixtureTeacher.model(), QwenTokenizer.IM_END)
            .generate(List.of(request), 3, 1)
            .get(0);
    assertTrue(out.tokens() >= 1 && out.tokens() <= 3, "tokens: " + out.tokens());
  }

  @Test
  void imagesMustMatchTheRowsPaths() {
    TrainRow textOnly = row("find a red circle", null, "a red circle", null);
    assertThrows(
        IllegalArgumentException.class,
        () -> prompt().request(textOnly, new BufferedImage(56, 56, 1), null));
    assertFalse(
        prompt().request(textOnly, null, null).promptIds().length == 0, "a text-only prompt");
  }
}
