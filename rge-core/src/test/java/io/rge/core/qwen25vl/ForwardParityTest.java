package io.rge.core.qwen25vl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.rge.core.DjlEngine;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The forward pass against transformers' tensors for the qwen25vl-tiny fixture (1e-4 absolute). */
class ForwardParityTest {
  private static NDManager root;
  private static Qwen25VLModel model;

  @BeforeAll
  static void load() {
    root = DjlEngine.get().newBaseManager();
    model = Qwen25VLModel.create(TinyFixture.config(), TinyFixture.weights(), root);
  }

  @AfterAll
  static void close() {
    model.close();
    root.close();
  }

  @ParameterizedTest
  @ValueSource(strings = {"img0", "img1"})
  void singleImagePromptMatchesTransformers(String kase) {
    try (NDManager scope = root.newSubManager()) {
      ModelInput input =
          ModelInput.single(
              TinyFixture.ids(kase + ".input_ids", 0), List.of(TinyFixture.image(kase)));
      ModelOutput out = model.forward(scope, input, OutputRequest.everything());
      assertClose(kase + ".vision_patch_embed", out.vision().patchEmbeddings());
      assertClose(kase + ".vision_merger_out_window_order", out.vision().mergerWindowOrder());
      assertClose(kase + ".image_embeds", out.vision().tokens());
      assertClose(kase + ".inputs_embeds", out.hiddenStates().get(0));
      assertClose(kase + ".hidden_layer1", out.hiddenStates().get(1));
      assertClose(kase + ".last_hidden_state", out.lastHidden());
      assertClose(kase + ".logits", out.logits());
    }
  }

  static void assertClose(String tensor, NDArray actual) {
    float[] expected = TinyFixture.EXPECTED.f32(tensor);
    float[] got = actual.toFloatArray();
    assertEquals(expected.length, got.length, tensor + " size");
    double max = 0;
    for (int i = 0; i < got.length; i++) {
      max = Math.max(max, Math.abs(got[i] - expected[i]));
    }
    assertTrue(max < 1e-4, tensor + ": max abs error " + max);
  }
}
