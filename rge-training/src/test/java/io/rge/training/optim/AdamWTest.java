package io.rge.training.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import io.rge.core.DjlEngine;
import io.rge.core.qwen25vl.CheckpointPart;
import io.rge.core.qwen25vl.ModelWeight;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** AdamW against the update rule computed by hand in double precision. */
class AdamWTest {
  private static final double LR = 0.01;
  private static final double WD = 0.1;
  private static final double B1 = 0.9;
  private static final double B2 = 0.999;
  private static final double EPS = 1e-8;

  private NDManager manager;

  @BeforeEach
  void open() {
    manager = DjlEngine.get().newBaseManager();
  }

  @AfterEach
  void close() {
    manager.close();
  }

  private ModelWeight weight(String name, float[] values, boolean decay) {
    NDArray array = manager.create(values);
    array.setRequiresGradient(true);
    return new ModelWeight(
        name,
        array,
        List.of(new CheckpointPart(name, new long[] {values.length}, 0, values.length)),
        decay);
  }

  /** Backward of sum(w · c) + sum(b · d): the gradients are exactly c and d. */
  private static void backward(ModelWeight w, float[] c, ModelWeight b, float[] d) {
    try (GradientCollector collector = Engine.getInstance().newGradientCollector();
        NDManager scope = w.value().getManager().newSubManager()) {
      NDArray loss = scope.create(c).mul(w.value()).sum().add(scope.create(d).mul(b.value()).sum());
      collector.backward(loss);
    }
  }

  private static void zero(ModelWeight... weights) {
    for (ModelWeight w : weights) {
      try (NDArray g = w.value().getGradient()) {
        g.subi(g);
      }
    }
  }

  /** The textbook update, element by element, for steps t = 1, 2, ... with the given gradients. */
  private static double[] expected(
      double[] w0, double[][] grads, double scale, boolean decay, double[] mOut, double[] vOut) {
    double[] w = w0.clone();
    double[] m = new double[w.length];
    double[] v = new double[w.length];
    for (int t = 1; t <= grads.length; t++) {
      for (int i = 0; i < w.length; i++) {
        double g = grads[t - 1][i] * scale;
        if (decay) {
          w[i] -= LR * WD * w[i];
        }
        m[i] = B1 * m[i] + (1 - B1) * g;
        v[i] = B2 * v[i] + (1 - B2) * g * g;
        double mHat = m[i] / (1 - Math.pow(B1, t));
        double vHat = v[i] / (1 - Math.pow(B2, t));
        w[i] -= LR * mHat / (Math.sqrt(vHat) + EPS);
      }
    }
    System.arraycopy(m, 0, mOut, 0, m.length);
    System.arraycopy(v, 0, vOut, 0, v.length);
    return w;
  }

  private static void assertClose(
      double[] expected, float[] actual, double tolerance, String what) {
    assertEquals(expected.length, actual.length, what);
    for (int i = 0; i < expected.length; i++) {
      assertEquals(expected[i], actual[i], tolerance, what + "[" + i + "]");
    }
  }

  @Test
  void twoStepsMatchTheHandComputedUpdateWithDecayOnlyWhereFlagged() {
    float[] w0 = {1.0f, -2.0f, 0.5f};
    float[] b0 = {0.3f, -0.7f};
    float[][] gw = {{0.1f, -0.2f, 0.3f}, {-0.4f, 0.05f, 0.3f}};
    float[][] gb = {{0.02f, 0.5f}, {0.01f, -0.5f}};
    ModelWeight w = weight("w", w0, true);
    ModelWeight b = weight("b", b0, false);
    double scale = 0.5; // as a clipping factor would
    try (AdamW adam = new AdamW(List.of(w, b), new AdamWSettings(B1, B2, EPS, WD), manager)) {
      for (int t = 0; t < 2; t++) {
        backward(w, gw[t], b, gb[t]);
        adam.step(LR, scale);
        zero(w, b);
      }
      assertEquals(2, adam.updates());
      double[] m = new double[3];
      double[] v = new double[3];
      double[] expectedW = expected(toDouble(w0), toDouble(gw), scale, true, m, v);
      assertClose(expectedW, w.value().toFloatArray(), 1e-6, "decayed weight");
      assertClose(m, adam.firstMoment(0).toFloatArray(), 1e-7, "first moment");
      assertClose(v, adam.secondMoment(0).toFloatArray(), 1e-9, "second moment");
      double[] expectedB = expected(toDouble(b0), toDouble(gb), scale, false, m, v);
      assertClose(expectedB, b.value().toFloatArray(), 1e-6, "undecayed weight");
      // Decay made a difference: the same rule with decay would have moved b elsewhere.
      double[] decayedB = expected(toDouble(b0), toDouble(gb), scale, true, m, v);
      assertTrue(Math.abs(decayedB[1] - expectedB[1]) > 1e-5);
    }
    assertTrue(w.value().hasGradient(), "the weight is still an autograd leaf");
  }

  @Test
  void firstStepMovesEachWeightByAboutTheLearningRate() {
    // Bias correction makes the first update lr · g / (|g| + eps) ≈ ±lr whatever the size of g.
    ModelWeight w = weight("w", new float[] {0f, 0f}, false);
    ModelWeight b = weight("b", new float[] {0f}, false);
    try (AdamW adam = new AdamW(List.of(w, b), new AdamWSettings(B1, B2, EPS, 0), manager)) {
      backward(w, new float[] {1e-3f, -50f}, b, new float[] {0f});
      adam.step(LR, 1.0);
      float[] moved = w.value().toFloatArray();
      assertEquals(-LR * 1e-3 / (1e-3 + EPS), moved[0], 1e-9);
      assertEquals(LR * 50 / (50 + EPS), moved[1], 1e-9);
      assertArrayEquals(
          new float[] {0f}, b.value().toFloatArray(), "a zero gradient moves nothing");
    }
  }

  @Test
  void momentsRoundTripThroughAFileAndMustMatchTheWeights(@TempDir Path dir) throws Exception {
    ModelWeight w = weight("w", new float[] {1f, 2f, 3f}, true);
    ModelWeight b = weight("b", new float[] {4f, 5f}, false);
    Path file = dir.resolve("optimizer.safetensors");
    try (AdamW adam = new AdamW(List.of(w, b), AdamWSettings.defaults(0.01), manager)) {
      backward(w, new float[] {0.1f, 0.2f, 0.3f}, b, new float[] {-1f, 1f});
      adam.step(1e-3, 1.0);
      adam.writeMoments(file);
      try (AdamW restored = new AdamW(List.of(w, b), AdamWSettings.defaults(0.01), manager)) {
        restored.readMoments(file, adam.updates());
        assertEquals(1, restored.updates());
        for (int i = 0; i < 2; i++) {
          assertArrayEquals(
              adam.firstMoment(i).toFloatArray(), restored.firstMoment(i).toFloatArray());
          assertArrayEquals(
              adam.secondMoment(i).toFloatArray(), restored.secondMoment(i).toFloatArray());
        }
      }
      try (AdamW other = new AdamW(List.of(w), AdamWSettings.defaults(0.01), manager)) {
        IllegalArgumentException e =
            assertThrows(IllegalArgumentException.class, () -> other.readMoments(file, 1));
        assertTrue(e.getMessage().contains("unexpected [b.exp_avg, b.exp_avg_sq]"), e.getMessage());
      }
    }
  }

  @Test
  void rejectsBadSettings() {
    assertThrows(IllegalArgumentException.class, () -> new AdamWSettings(1.0, 0.999, 1e-8, 0));
    assertThrows(IllegalArgumentException.class, () -> new AdamWSettings(0.9, 0.999, 0, 0));
    assertThrows(IllegalArgumentException.class, () -> new AdamWSettings(0.9, 0.999, 1e-8, -1));
  }

  private static double[] toDouble(float[] values) {
    double[] out = new double[values.length];
    for (int i = 0; i < values.length; i++) {
      out[i] = values[i];
    }
    return out;
  }

  private static double[][] toDouble(float[][] values) {
    double[][] out = new double[values.length][];
    for (int i = 0; i < values.length; i++) {
      out[i] = toDouble(values[i]);
    }
    return out;
  }
}
