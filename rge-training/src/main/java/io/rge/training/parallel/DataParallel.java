package io.rge.training.parallel;

import ai.djl.Device;
import io.rge.core.RgeModel;
import io.rge.core.qwen25vl.ModelWeight;
import io.rge.training.objective.Workers;
import java.util.List;
import java.util.function.Function;

/**
 * Data-parallel training in one JVM, as the trainer sees it: before the optimizer step, the
 * objective runs on {@link #workers} (one replica per device) and leaves on the lead model the
 * gradients of all the step's rows; after it, {@link #afterStep} copies the updated weights to the
 * other replicas and, every {@code checkEvery} steps, checks that they are all identical. The
 * optimizer (fp32 AdamW) and its state exist once, on the lead.
 */
public final class DataParallel implements AutoCloseable {
  private final Replicas replicas;
  private final int checkEvery;

  private DataParallel(Replicas replicas, int checkEvery) {
    this.replicas = replicas;
    this.checkEvery = checkEvery;
  }

  /**
   * Replicates {@code lead} onto the other devices (see {@link Replicas#create}).
   *
   * @param checkEvery steps between fingerprint checks of the replicas (0: never)
   */
  public static DataParallel start(
      RgeModel lead,
      List<ModelWeight> trainable,
      List<Device> devices,
      Function<RgeModel, List<ModelWeight>> trainableOf,
      int checkEvery) {
    return new DataParallel(Replicas.create(lead, trainable, devices, trainableOf), checkEvery);
  }

  /** The replicas, as the objective's workers. */
  public Workers workers() {
    return replicas;
  }

  /**
   * @param stepsDone optimizer steps done, this one included
   * @param updated whether the optimizer changed the lead's weights
   * @throws IllegalStateException when a check finds a replica that differs from the lead
   */
  public void afterStep(long stepsDone, boolean updated) {
    if (updated) {
      replicas.broadcastWeights();
    }
    if (checkEvery > 0 && stepsDone % checkEvery == 0) {
      replicas.checkIdentical(stepsDone);
    }
  }

  public int replicas() {
    return replicas.size();
  }

  @Override
  public void close() {
    replicas.close();
  }
}
