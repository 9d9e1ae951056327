package io.rge.core.qwen25vl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * Activation recomputation ("gradient checkpointing") for chains of layers, without custom autograd
 * functions (DJL has none).
 *
 * <p>Forward: {@link #run} applies a chain's layers with autograd off, keeping only each layer's
 * input, and returns the chain's output as a fresh leaf that records a gradient, so the rest of the
 * graph (final norm, head, loss) is built on it as usual. Backward: after the loss's backward pass
 * has filled that leaf's gradient {@code g}, {@link #backward()} walks the chain from its last
 * layer: it re-runs the layer with autograd on from a detached copy of the saved input and calls
 * backward on {@code sum(output · g)}, whose gradient is the vector-Jacobian product: the layer's
 * weight gradients accumulate exactly as in a plain backward pass, and the input's gradient is the
 * {@code g} of the layer before. Finally {@code sum(chainInput · g)} carries the gradient into the
 * graph that produced the chain's input (embeddings, the vision tower's output). Chains are
 * replayed last first, so a chain feeding another (vision tower → decoder) gets its gradient before
 * it is replayed.
 *
 * <p>Each replayed layer's activations live in a sub-manager closed right after its backward, so at
 * most one layer's activations exist at a time.
 */
final class RecomputationTape {
  private final Deque<Chain> chains = new ArrayDeque<>();

  private record Chain(
      NDArray input, List<UnaryOperator<NDArray>> layers, List<NDArray> inputs, NDArray output) {
    boolean released() {
      return input.isReleased() || output.isReleased();
    }
  }

  /**
   * Applies {@code layers} in order to {@code input} without recording, and returns the output as a
   * leaf that records its gradient.
   */
  NDArray run(NDArray input, List<UnaryOperator<NDArray>> layers) {
    chains.removeIf(Chain::released); // chains of passes whose scope closed without a backward
    List<NDArray> inputs = new ArrayList<>(layers.size());
    NDArray x = input;
    boolean recording = JniUtils.isGradMode();
    JniUtils.setGradMode(false);
    try {
      for (UnaryOperator<NDArray> layer : layers) {
        inputs.add(x);
        x = layer.apply(x);
      }
    } finally {
      JniUtils.setGradMode(recording);
    }
    x.setRequiresGradient(true);
    chains.push(new Chain(input, List.copyOf(layers), inputs, x));
    return x;
  }

  /** Whether chains wait for {@link #backward()}. */
  boolean pending() {
    chains.removeIf(Chain::released);
    return !chains.isEmpty();
  }

  /**
   * Completes the backward pass of every recorded chain (last recorded first); call it right after
   * the loss's backward pass, inside the same gradient collector.
   */
  void backward() {
    while (!chains.isEmpty()) {
      Chain c = chains.pop();
      if (c.released()) {
        continue;
      }
      NDManager scope = c.output.getManager();
      NDArray g = c.output.getGradient(); // d loss / d output, [like output]
      for (int i = c.layers.size() - 1; i >= 0; i--) {
        try (NDManager layerScope = scope.newSubManager()) {
          NDArray x = c.inputs.get(i).stopGradient();
          x.attach(layerScope);
          x.setRequiresGradient(true);
          NDArray out = c.layers.get(i).apply(x);
          backward(out.mul(g).sum());
          NDArray gx = x.getGradient();
          gx.attach(scope);
          g.close();
          g = gx;
        }
      }
      backIntoInput(c.input, g);
      g.close();
    }
  }

  /**
   * Carries {@code g} into the graph that produced a chain's {@code input}, if there is one: with a
   * frozen base (adapters) the embeddings and the vision tower's patch embedding record no
   * gradient, and DJL cannot tell such a tensor from the output of recorded operations without
   * crashing (its {@code torchGradFnName} dereferences the null gradient function: SIGSEGV). So the
   * scalar {@code sum(input · g)} is added to a throwaway leaf that records a gradient: the sum
   * always has a gradient function, and autograd follows the edge into {@code input} only where one
   * exists. No query, no special case.
   */
  private static void backIntoInput(NDArray input, NDArray g) {
    try (NDManager temps = g.getManager().newSubManager()) {
      NDArray anchor = temps.zeros(new Shape(), DataType.FLOAT32); // [], a leaf
      anchor.setRequiresGradient(true);
      NDArray product = input.mul(g); // [like input]
      product.attach(temps);
      NDArray link = Upcast.toFp32(product.sum()); // [], records a gradient iff input does
      link.attach(temps);
      backward(link.add(anchor));
    }
  }

  private static void backward(NDArray scalar) {
    try (NDArray ones = scalar.onesLike()) {
      JniUtils.backward((PtNDArray) scalar, (PtNDArray) ones, false, false);
    }
  }
}
