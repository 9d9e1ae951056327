package io.rge.training.parallel;

import ai.djl.ndarray.NDArray;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.GradientCollector;

/**
 * Records gradients on the calling thread only, so that replicas can run forward and backward
 * passes at the same time. DJL's own collector allows one to be open in the whole process (a static
 * flag), although PyTorch's grad mode is per thread and backward passes over separate graphs may
 * run concurrently; this one sets the thread's grad mode and calls the same native backward. Open
 * and close it on one thread.
 */
final class ThreadGradients implements GradientCollector {
  private final boolean previous;

  ThreadGradients() {
    previous = JniUtils.isGradMode();
    JniUtils.setGradMode(true);
  }

  @Override
  public void backward(NDArray target) {
    try (NDArray ones = target.onesLike()) {
      JniUtils.backward((PtNDArray) target, (PtNDArray) ones, false, false);
    }
  }

  @Override
  public void zeroGradients() {
    throw new UnsupportedOperationException("clear the replicas' gradients through Replicas");
  }

  @Override
  public void close() {
    JniUtils.setGradMode(previous);
  }
}
