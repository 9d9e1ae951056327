package io.rge.core.qwen25vl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import io.rge.core.DjlEngine;
import io.rge.core.precision.ComputePrecision;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An fp16 forward pass of the tiny fixture (weights and activations fp16, norms, softmax, rotary,
 * final norm and logits fp32) against transformers' fp32 reference tensors.
 *
 * <p>Tolerance: the largest error must stay under 1% of the tensor's largest magnitude. fp16 rounds
 * each stored value to 11 significant bits (relative error up to 2⁻¹¹ ≈ 4.9e-4); the weights are
 * rounded once and every product's output again, over 4 vision blocks, the merger and 3 decoder
 * layers, so errors of a few 1e-3 relative are expected. Measured here: see the log line. bf16 (8
 * significant bits) is not run on the CPU: DJL 0.36's bundled library aborts on bf16 arrays.
 */
class HalfPrecisionForwardTest {
  private static final Logger LOG = LoggerFactory.getLogger(HalfPrecisionForwardTest.class);
  private static final double RELATIVE_TOLERANCE = 1e-2;

  @Test
  void fp16ForwardFollowsTheFp32Reference() {
    TinyFixture fixture = TinyFixture.SHIPPED;
    String kase = "img1";
    try (NDManager root = DjlEngine.get().newBaseManager();
        Qwen25VLModel model = fixture.load(root, ComputePrecision.FP16)) {
      assertEquals(
          DataType.FLOAT16, model.weights().get("model.norm.weight").value().getDataType());
      ModelInput input =
          ModelInput.single(
              fixture.ids(kase + ".input_ids", 0), List.of(fixture.sharedImage(kase)));
      ModelOutput out = model.forward(root, input, OutputRequest.everything());
      assertEquals(DataType.FLOAT32, out.lastHidden().getDataType(), "final norm in fp32");
      assertEquals(DataType.FLOAT32, out.logits().getDataType(), "logits in fp32");
      assertRelativelyClose(fixture, kase + ".image_embeds", out.vision().tokens());
      assertRelativelyClose(fixture, kase + ".hidden_layer1", out.hiddenStates().get(1));
      assertRelativelyClose(fixture, kase + ".last_hidden_state", out.lastHidden());
      assertRelativelyClose(fixture, kase + ".logits", out.logits());

      // The token each position would choose is the fp32 model's almost everywhere.
      float[] expected = fixture.f32(kase + ".logits");
      float[] got = out.logits().toFloatArray();
      int vocab = model.config().text().vocabSize();
      int positions = expected.length / vocab;
      int same = 0;
      for (int t = 0; t < positions; t++) {
        same += argmax(expected, t * vocab, vocab) == argmax(got, t * vocab, vocab) ? 1 : 0;
      }
      LOG.info("fp16 greedy choice equals fp32 at {} of {} positions", same, positions);
      assertTrue(same >= positions * 0.9, same + " of " + positions);
    }
  }

  private static void assertRelativelyClose(TinyFixture fixture, String tensor, NDArray actual) {
    float[] expected = fixture.f32(tensor);
    float[] got = Upcast.toFp32(actual).toFloatArray();
    assertEquals(expected.length, got.length, tensor);
    double scale = 0;
    double error = 0;
    for (int i = 0; i < expected.length; i++) {
      scale = Math.max(scale, Math.abs(expected[i]));
      error = Math.max(error, Math.abs(expected[i] - got[i]));
    }
    LOG.info(
        "fp16 {}: max abs error {} of max magnitude {} ({})", tensor, error, scale, error / scale);
    assertTrue(error < RELATIVE_TOLERANCE * scale, tensor + ": " + error + " of " + scale);
  }

  private static int argmax(float[] v, int from, int n) {
    int best = from;
    for (int i = from + 1; i < from + n; i++) {
      if (v[i] > v[best]) {
        best = i;
      }
    }
    return best - from;
  }
}
