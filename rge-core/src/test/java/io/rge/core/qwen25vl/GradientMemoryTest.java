package io.rge.core.qwen25vl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import io.rge.core.DjlEngine;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Gradients must not depend on what the garbage collector does between the forward and the backward
 * pass: tensors autograd keeps (scalars of RMSNorm, attention scaling) must live in memory PyTorch
 * owns. With DJL's number overloads ({@code x.pow(-0.5f)}) freed buffers get reused, and here they
 * are reused with NaN bytes.
 */
class GradientMemoryTest {

  @Test
  void gradientsSurviveGarbageCollectionBetweenForwardAndBackward() {
    try (NDManager root = DjlEngine.get().newBaseManager();
        Qwen25VLModel model = TinyFixture.MROPE.load(root)) {
      model.weights().setTrainable(w -> true);
      Map<String, Double> quiet = gradients(root, model, false);
      model.weights().zeroGradients();
      Map<String, Double> churned = gradients(root, model, true);
      assertArrayEquals(
          quiet.values().stream().mapToDouble(Double::doubleValue).toArray(),
          churned.values().stream().mapToDouble(Double::doubleValue).toArray(),
          0.0,
          "gradient norms with and without garbage collection in between");
      assertTrue(churned.values().stream().allMatch(Double::isFinite));
    }
  }

  private static Map<String, Double> gradients(NDManager root, Qwen25VLModel model, boolean churn) {
    try (NDManager scope = root.newSubManager();
        GradientCollector collector = DjlEngine.get().newGradientCollector()) {
      ModelInput input =
          ModelInput.single(
              TinyFixture.SHIPPED.ids("img1.input_ids", 0),
              List.of(TinyFixture.SHIPPED.sharedImage("img1")));
      NDArray loss =
          model.forward(scope, input, OutputRequest.hiddenOnly()).lastHidden().square().mean();
      if (churn) {
        // Drop every unreachable direct buffer, then hand their memory out again full of NaNs.
        for (int round = 0; round < 3; round++) {
          System.gc();
          List<ByteBuffer> filler = new ArrayList<>();
          for (int i = 0; i < 256; i++) {
            ByteBuffer b = ByteBuffer.allocateDirect(4096);
            while (b.hasRemaining()) {
              b.put((byte) 0xFF);
            }
            filler.add(b);
          }
        }
      }
      collector.backward(loss);
      return model.weights().gradientNorms();
    }
  }
}
