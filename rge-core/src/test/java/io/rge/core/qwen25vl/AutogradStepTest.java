package io.rge.core.qwen25vl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import io.rge.core.DjlEngine;
import io.rge.core.image.ProcessedImage;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Autograd through the whole model: the next-token loss of a prompt with an image reaches every
 * weight (vision tower, merger, decoder, tied head), and one plain SGD step on all weights lowers
 * it.
 */
class AutogradStepTest {
  private static final Logger LOG = LoggerFactory.getLogger(AutogradStepTest.class);
  private static final float LEARNING_RATE = 0.5f;

  @Test
  void oneSgdStepOnAllWeightsLowersTheLoss() {
    int[] ids = TinyFixture.MROPE.ids("img1.input_ids", 0);
    List<ProcessedImage> images = List.of(TinyFixture.MROPE.sharedImage("img1"));
    try (NDManager root = DjlEngine.get().newBaseManager();
        Qwen25VLModel model = TinyFixture.MROPE.load(root)) {
      ModelWeights weights = model.weights();
      weights.setTrainable(w -> true);
      double before;
      try (NDManager scope = root.newSubManager();
          GradientCollector collector = Engine.getInstance().newGradientCollector()) {
        NDArray loss = nextTokenLoss(scope, model, ids, images);
        before = loss.getFloat();
        collector.backward(loss);
      }
      Map<String, Double> norms = weights.gradientNorms();
      assertEquals(weights.checkpointShapes().keySet(), norms.keySet(), "every weight");
      for (Map.Entry<String, Double> e : norms.entrySet()) {
        assertTrue(
            Double.isFinite(e.getValue()) && e.getValue() > 0,
            e.getKey() + " has gradient norm " + e.getValue());
      }
      for (ModelWeight w : weights.trainable()) {
        try (NDArray g = w.value().getGradient()) {
          w.value().subi(g.mul(LEARNING_RATE));
        }
      }
      weights.zeroGradients();
      double after;
      try (NDManager scope = root.newSubManager()) {
        after = nextTokenLoss(scope, model, ids, images).getFloat();
      }
      LOG.info("next-token loss {} -> {} after one SGD step (lr {})", before, after, LEARNING_RATE);
      assertTrue(after < before - 0.01, "loss " + before + " -> " + after);
      for (ModelWeight w : weights.trainable()) {
        try (NDArray g = w.value().getGradient()) {
          assertEquals(0f, g.abs().max().getFloat(), w.name() + " gradient cleared");
        }
      }
    }
  }

  /** Mean cross-entropy of every next token of {@code ids} (a language-model loss). */
  static NDArray nextTokenLoss(
      NDManager scope, Qwen25VLModel model, int[] ids, List<ProcessedImage> images) {
    int n = ids.length;
    int[][] predicting = new int[n - 1][];
    long[] targets = new long[n - 1];
    for (int t = 0; t < n - 1; t++) {
      predicting[t] = new int[] {0, t};
      targets[t] = ids[t + 1];
    }
    ModelOutput out =
        model.forward(scope, ModelInput.single(ids, images), OutputRequest.gatherAt(predicting));
    NDArray logProbs = model.logits(out.gathered()).logSoftmax(1);
    return logProbs.gather(scope.create(targets, new Shape(n - 1, 1)), 1).mean().neg();
  }

  @Test
  void nothingRecordsGradientsUntilAskedTo() {
    try (NDManager root = DjlEngine.get().newBaseManager();
        Qwen25VLModel model = TinyFixture.MROPE.load(root)) {
      assertTrue(model.weights().trainable().isEmpty());
      model.weights().setTrainable(ModelWeight::isVision);
      List<String> trainable = model.weights().trainable().stream().map(ModelWeight::name).toList();
      assertTrue(trainable.stream().allMatch(n -> n.startsWith("visual.")), trainable.toString());
      assertEquals("visual.patch_embed.proj.weight", trainable.get(0));
      assertTrue(trainable.size() < model.weights().all().size());
    }
  }
}
