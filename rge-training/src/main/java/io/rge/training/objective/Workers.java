package io.rge.training.objective;

import ai.djl.engine.Engine;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.GradientCollector;
import io.rge.core.RgeModel;
import java.util.List;
import java.util.function.IntFunction;

/**
 * Where the {@link RgeObjective}'s step runs: one model per worker, worker 0 the lead (whose
 * weights the optimizer updates). {@link #inline} is one worker on the caller's thread; data
 * parallelism ({@code io.rge.training.parallel.Replicas}) is one thread per device.
 */
public interface Workers {
  /** Workers, the lead included. */
  int size();

  /** Worker {@code w}'s model (0: the lead). */
  RgeModel model(int w);

  /**
   * Runs {@code work(w)} for every worker, each on its own thread with autograd off (work that
   * records gradients opens {@link #gradients}), and returns the results in worker order.
   */
  <T> List<T> onEach(IntFunction<T> work);

  /** A gradient recorder for worker {@code w}'s thread; open and close it there. */
  GradientCollector gradients(int w);

  /** Adds every other worker's gradients to the lead's and clears theirs (after a step). */
  void reduceGradients();

  /** One model, on the caller's thread. */
  static Workers inline(RgeModel model) {
    return new Workers() {
      @Override
      public int size() {
        return 1;
      }

      @Override
      public RgeModel model(int w) {
        return model;
      }

      @Override
      public <T> List<T> onEach(IntFunction<T> work) {
        boolean gradMode = JniUtils.isGradMode();
        JniUtils.setGradMode(false);
        try {
          return java.util.Collections.singletonList(work.apply(0));
        } finally {
          JniUtils.setGradMode(gradMode);
        }
      }

      @Override
      public GradientCollector gradients(int w) {
        return Engine.getInstance().newGradientCollector();
      }

      @Override
      public void reduceGradients() {}
    };
  }
}
