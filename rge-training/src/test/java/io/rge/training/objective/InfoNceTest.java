package io.rge.training.objective;

import static io.rge.training.objective.ObjectiveParityTest.assertRelative;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.rge.core.DeviceChoice;
import io.rge.core.MultimodalInput;
import io.rge.core.RgeModel;
import io.rge.core.generation.GenerationSettings.Batching;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

/**
 * The contrastive term against InfoNCE computed independently here, in plain Java doubles: on known
 * embeddings, and end to end in baseline mode with hard negatives, where the reference embeddings
 * come from {@link RgeModel#embedCandidates} (a baseline query is embedded exactly like a
 * candidate: prompt + {@code <emb>}).
 */
class InfoNceTest {

  @Test
  void infoNceOnKnownEmbeddingsMatchesHandComputedLoss() {
    double[][] queries = {{1, 0, 0}, {0.5, 2, -1}};
    double[][] candidates = {{1, 1, 0}, {0, 1, -1}, {2, 0, 0.1}, {-1, 0.5, 0.5}};
    boolean[][] masked = {{false, false, true, false}, {false, false, false, false}};
    double tau = 0.05;
    try (NDManager m = NDManager.newBaseManager("PyTorch")) {
      float[] mask = new float[2 * 4];
      mask[2] = -1e9f;
      NDArray loss =
          ObjectiveLoss.infoNce(
              m.create(floats(queries), new Shape(2, 3)),
              m.create(floats(candidates), new Shape(4, 3)),
              tau,
              m.create(mask, new Shape(2, 4)));
      assertRelative(reference(queries, candidates, masked, tau), loss.getFloat(), 1e-6, "loss");
      NDArray unmasked =
          ObjectiveLoss.infoNce(
              m.create(floats(queries), new Shape(2, 3)),
              m.create(floats(candidates), new Shape(4, 3)),
              tau,
              null);
      assertRelative(
          reference(queries, candidates, new boolean[2][4], tau),
          unmasked.getFloat(),
          1e-6,
          "unmasked loss");
    }
  }

  @Test
  void baselineWithHardNegativesMatchesReferenceInfoNce() throws Exception {
    BufferedImage image = ImageIO.read(ObjectiveParityTest.dir().resolve("image0.png").toFile());
    MultimodalInput shared = MultimodalInput.text("Represent the given caption: a red square");
    List<TrainExample> batch =
        List.of(
            new TrainExample(
                new MultimodalInput("<|image_1|>What is left of the red square?", image),
                "a blue circle",
                shared,
                List.of(MultimodalInput.text("Represent the given caption: a green triangle"))),
            new TrainExample(
                MultimodalInput.text("Find a caption for: two manta rays"),
                null,
                MultimodalInput.text("Represent the given caption: manta rays under water"),
                List.of(new MultimodalInput("<|image_1|>a picture", image))),
            // Its positive is example 0's: each is kept out of the other's negatives.
            new TrainExample(
                MultimodalInput.text("Find a caption for: a red square"), null, shared, List.of()));
    double tau = 0.05;
    ObjectiveSettings settings =
        new ObjectiveSettings(ObjectiveMode.BASELINE, 1, 10, tau, 8, true, 4, Batching.CONTINUOUS);
    try (RgeModel model = RgeModel.load(ObjectiveParityTest.dir(), DeviceChoice.CPU)) {
      StepLosses losses = new RgeObjective(model).evaluate(batch, settings);

      List<MultimodalInput> candidates = new ArrayList<>();
      batch.forEach(e -> candidates.add(e.target()));
      batch.forEach(e -> candidates.addAll(e.hardNegatives()));
      double[][] q = doubles(model.embedCandidates(batch.stream().map(e -> e.query()).toList()));
      double[][] c = doubles(model.embedCandidates(candidates));
      boolean[][] masked = new boolean[q.length][c.length];
      for (int i = 0; i < q.length; i++) {
        for (int j = 0; j < c.length; j++) {
          masked[i][j] = j != i && candidates.get(j).equals(candidates.get(i));
        }
      }
      assertTrue(masked[0][2] && masked[2][0], "the shared positive is masked both ways");
      double expected = reference(q, c, masked, tau);
      assertRelative(expected, losses.contrastive(), 1e-5, "contrastive");
      assertTrue(Double.isNaN(losses.lm()), "the baseline has no LM term");
      assertRelative(10 * expected, losses.total(), 1e-5, "total");
      assertEquals(0, losses.generatedRationales());
    }
  }

  /** Mean over queries of −log softmax_j(cos(q_i, c_j) / τ)[i], masked candidates left out. */
  static double reference(double[][] q, double[][] c, boolean[][] masked, double tau) {
    double sum = 0;
    for (int i = 0; i < q.length; i++) {
      double[] logits = new double[c.length];
      double max = Double.NEGATIVE_INFINITY;
      for (int j = 0; j < c.length; j++) {
        logits[j] = cosine(q[i], c[j]) / tau;
        if (!masked[i][j]) {
          max = Math.max(max, logits[j]);
        }
      }
      double z = 0;
      for (int j = 0; j < c.length; j++) {
        z += masked[i][j] ? 0 : Math.exp(logits[j] - max);
      }
      sum += -(logits[i] - max - Math.log(z));
    }
    return sum / q.length;
  }

  private static double cosine(double[] a, double[] b) {
    double dot = 0;
    double na = 0;
    double nb = 0;
    for (int k = 0; k < a.length; k++) {
      dot += a[k] * b[k];
      na += a[k] * a[k];
      nb += b[k] * b[k];
    }
    return dot / Math.sqrt(na * nb);
  }

  private static float[] floats(double[][] rows) {
    float[] out = new float[rows.length * rows[0].length];
    for (int r = 0; r < rows.length; r++) {
      for (int k = 0; k < rows[r].length; k++) {
        out[r * rows[r].length + k] = (float) rows[r][k];
      }
    }
    return out;
  }

  private static double[][] doubles(List<float[]> rows) {
    double[][] out = new double[rows.size()][];
    for (int r = 0; r < out.length; r++) {
      float[] row = rows.get(r);
      out[r] = new double[row.length];
      for (int k = 0; k < row.length; k++) {
        out[r][k] = row[k];
      }
    }
    return out;
  }
}
