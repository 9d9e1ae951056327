package io.rge.training.parallel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.pytorch.jni.JniUtils;
import io.rge.core.DeviceChoice;
import io.rge.core.RgeModel;
import io.rge.core.qwen25vl.ModelWeight;
import io.rge.testfixtures.TestFixtures;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Replicas start as exact copies of the lead, and the fingerprint check finds a replica whose
 * weights were changed behind the optimizer's back, naming the replica and the weight.
 */
class ReplicasTest {
  static Path fixture() throws Exception {
    return TestFixtures.tinyModel();
  }

  static List<ModelWeight> trainAll(RgeModel model) {
    model.network().weights().setTrainable(w -> true);
    return model.network().weights().trainable();
  }

  @Test
  void aPerturbedReplicaIsDetected() throws Exception {
    try (RgeModel lead = RgeModel.load(fixture(), DeviceChoice.CPU);
        Replicas replicas =
            Replicas.create(
                lead,
                trainAll(lead),
                List.of(Device.cpu(), Device.cpu()),
                ReplicasTest::trainAll)) {
      ModelWeight leadWeight = lead.network().weights().all().get(3);
      ModelWeight copyWeight = replicas.model(1).network().weights().get(leadWeight.name());
      assertArrayEquals(leadWeight.value().toFloatArray(), copyWeight.value().toFloatArray());
      replicas.checkIdentical(0);

      // What a missed update does: every element of one weight moves a little.
      boolean gradMode = JniUtils.isGradMode();
      JniUtils.setGradMode(false);
      try (NDArray step = copyWeight.value().onesLike().muli(1e-4f)) {
        copyWeight.value().addi(step);
      } finally {
        JniUtils.setGradMode(gradMode);
      }
      IllegalStateException e =
          assertThrows(IllegalStateException.class, () -> replicas.checkIdentical(7));
      assertTrue(
          e.getMessage()
              .startsWith(
                  "replica 1 on cpu() no longer holds the lead's weights after"
                      + " step 7: weight "
                      + leadWeight.name()
                      + " (sampled sum "),
          e.getMessage());

      replicas.broadcastWeights();
      replicas.checkIdentical(8);
    }
  }
}
