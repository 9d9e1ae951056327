package io.rge.core.qwen25vl;

import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.rge.core.DjlEngine;
import io.rge.core.FloatAsserts;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The forward pass against transformers' tensors for qwen25vl-tiny (1e-4 absolute): every image
 * case in both references, and padded batches at their unpadded positions.
 */
class ForwardParityTest {
  private static NDManager root;

  @BeforeAll
  static void engine() {
    root = DjlEngine.get().newBaseManager();
  }

  @AfterAll
  static void close() {
    root.close();
  }

  @ParameterizedTest
  @CsvSource({"SHIPPED, img0", "SHIPPED, img1", "MROPE, img0", "MROPE, img1"})
  void singleImagePromptMatchesTransformers(TinyFixture fixture, String kase) {
    try (NDManager scope = root.newSubManager();
        Qwen25VLModel model = fixture.load(scope)) {
      ModelInput input =
          ModelInput.single(
              fixture.ids(kase + ".input_ids", 0), List.of(fixture.sharedImage(kase)));
      ModelOutput out = model.forward(scope, input, OutputRequest.everything());
      if (fixture == TinyFixture.SHIPPED) {
        assertClose(fixture, kase + ".vision_patch_embed", out.vision().patchEmbeddings());
        assertClose(
            fixture, kase + ".vision_merger_out_window_order", out.vision().mergerWindowOrder());
        assertClose(fixture, kase + ".image_embeds", out.vision().tokens());
      }
      assertClose(fixture, kase + ".inputs_embeds", out.hiddenStates().get(0));
      assertClose(fixture, kase + ".hidden_layer1", out.hiddenStates().get(1));
      assertClose(fixture, kase + ".last_hidden_state", out.lastHidden());
      assertClose(fixture, kase + ".logits", out.logits());
    }
  }

  @ParameterizedTest
  @CsvSource({
    "SHIPPED, batch_right",
    "SHIPPED, batch_left",
    "MROPE, batch_right",
    "MROPE, batch_left"
  })
  void paddedBatchMatchesAtUnpaddedPositions(TinyFixture fixture, String kase) {
    try (NDManager scope = root.newSubManager();
        Qwen25VLModel model = fixture.load(scope)) {
      int[][] ids = {fixture.ids(kase + ".input_ids", 0), fixture.ids(kase + ".input_ids", 1)};
      int[][] mask = {
        fixture.ids(kase + ".attention_mask", 0), fixture.ids(kase + ".attention_mask", 1)
      };
      int embId = 428;
      int[][] embAt = new int[2][];
      for (int r = 0; r < 2; r++) {
        for (int i = 0; i < ids[r].length; i++) {
          if (ids[r][i] == embId) {
            embAt[r] = new int[] {r, i};
          }
        }
      }
      ModelOutput out =
          model.forward(
              scope,
              new ModelInput(ids, mask, List.of(fixture.sharedImage("img0"))),
              OutputRequest.gatherAt(embAt));
      float[] expected = fixture.f32(kase + ".last_hidden_state");
      float[] got = out.lastHidden().toFloatArray();
      int hidden = 64;
      double max = 0;
      for (int r = 0; r < 2; r++) {
        for (int i = 0; i < ids[r].length; i++) {
          if (mask[r][i] == 1) {
            for (int h = 0; h < hidden; h++) {
              int k = (r * ids[r].length + i) * hidden + h;
              max = Math.max(max, Math.abs(got[k] - expected[k]));
            }
          }
        }
      }
      assertTrue(max < 1e-4, kase + " last_hidden_state at unpadded positions: " + max);
      NDArray emb = out.gathered();
      NDArray normalised = emb.div(emb.norm(new int[] {1}, true));
      assertClose(fixture, kase + ".emb_embeddings", normalised);
    }
  }

  static void assertClose(TinyFixture fixture, String tensor, NDArray actual) {
    FloatAsserts.assertClose(tensor, fixture.f32(tensor), actual.toFloatArray(), 1e-4);
  }
}
