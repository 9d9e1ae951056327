package io.rge.training.optim;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.jni.JniUtils;
import io.rge.core.qwen25vl.ModelWeight;
import io.rge.core.safetensors.SafetensorsFile;
import io.rge.core.safetensors.SafetensorsWriter;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * AdamW (Loshchilov and Hutter) over model weights, updating them in place with the gradients their
 * backward passes accumulated — the same arithmetic as {@code torch.optim.AdamW}:
 *
 * <pre>
 * w ← w · (1 − lr · λ)                      only where decay() is set
 * m ← β1 · m + (1 − β1) · g
 * v ← β2 · v + (1 − β2) · g²
 * w ← w − (lr / (1 − β1^t)) · m / (√v / √(1 − β2^t) + ε)
 * </pre>
 *
 * <p>{@code m} and {@code v} are fp32 arrays of each weight's shape, held in a child of the
 * weights' manager (so on the same device). Updates run outside any gradient collector, so the
 * weights stay autograd leaves. Not thread-safe.
 */
public final class AdamW implements AutoCloseable {
  private static final String FIRST = ".exp_avg";
  private static final String SECOND = ".exp_avg_sq";

  private final List<ModelWeight> weights;
  private final AdamWSettings settings;
  private final NDManager manager;
  private final NDArray[] first;
  private final NDArray[] second;
  private long updates;

  /**
   * @param weights the weights to train (each must record gradients)
   * @param parent the manager owning the weights; the moments live in a child of it
   */
  public AdamW(List<ModelWeight> weights, AdamWSettings settings, NDManager parent) {
    if (weights.isEmpty()) {
      throw new IllegalArgumentException("no trainable weights");
    }
    this.weights = List.copyOf(weights);
    this.settings = settings;
    this.manager = parent.newSubManager();
    this.first = new NDArray[weights.size()];
    this.second = new NDArray[weights.size()];
    for (int i = 0; i < weights.size(); i++) {
      Shape shape = weights.get(i).value().getShape();
      first[i] = manager.zeros(shape, DataType.FLOAT32);
      second[i] = manager.zeros(shape, DataType.FLOAT32);
    }
  }

  /**
   * One update from the current gradients, each multiplied by {@code gradScale} first (the clipping
   * factor; 1 for none). Gradients are left as they are; the caller clears them.
   */
  public void step(double lr, double gradScale) {
    try (NDManager scope = manager.newSubManager()) {
      List<NDArray> gradients = new ArrayList<>(weights.size());
      for (ModelWeight w : weights) {
        NDArray g = w.value().getGradient();
        g.attach(scope);
        gradients.add(g);
      }
      step(lr, gradScale, gradients);
    }
  }

  /**
   * One update from {@code gradients} (one per weight, same shapes; fp32, or a half type that is
   * upcast to fp32 one weight at a time: a mixed-precision run's compute-weight gradients), each
   * multiplied by {@code gradScale} first (clipping factor over loss scale).
   */
  public void step(double lr, double gradScale, List<NDArray> gradients) {
    if (gradients.size() != weights.size()) {
      throw new IllegalArgumentException(
          gradients.size() + " gradients for " + weights.size() + " weights");
    }
    if (!(lr >= 0) || !Double.isFinite(gradScale)) {
      throw new IllegalArgumentException("bad step: lr " + lr + ", gradient scale " + gradScale);
    }
    updates++;
    double b1 = settings.beta1();
    double b2 = settings.beta2();
    double stepSize = lr / (1 - Math.pow(b1, updates));
    double secondCorrection = Math.sqrt(1 - Math.pow(b2, updates));
    double decayFactor = 1 - lr * settings.weightDecay();
    // In-place writes to leaves that require gradients are legal only with autograd off.
    boolean gradMode = JniUtils.isGradMode();
    JniUtils.setGradMode(false);
    try (NDManager scope = manager.newSubManager()) {
      for (int i = 0; i < weights.size(); i++) {
        ModelWeight w = weights.get(i);
        NDArray value = w.value();
        // Results of an op live in its first operand's manager: operands from the scope go first,
        // and results of ops on long-lived arrays are attached to the scope.
        NDArray g = gradients.get(i);
        if (g.getDataType() != DataType.FLOAT32) {
          g = g.toType(DataType.FLOAT32, false); // a scaled fp16 gradient squared would overflow
          g.attach(scope);
        }
        first[i].muli((float) b1).addi(g.mul((float) ((1 - b1) * gradScale)));
        second[i]
            .muli((float) b2)
            .addi(g.square().muli((float) ((1 - b2) * gradScale * gradScale)));
        if (w.decay() && settings.weightDecay() > 0) {
          value.muli((float) decayFactor);
        }
        NDArray denominator = second[i].sqrt();
        denominator.attach(scope);
        denominator.divi((float) secondCorrection).addi((float) settings.eps());
        NDArray update = first[i].div(denominator);
        update.attach(scope);
        value.subi(update.muli((float) stepSize));
      }
    } finally {
      JniUtils.setGradMode(gradMode);
    }
  }

  /** Updates made so far (AdamW's t). */
  public long updates() {
    return updates;
  }

  public AdamWSettings settings() {
    return settings;
  }

  /**
   * Writes the moments as F32 tensors {@code <weight>.exp_avg} and {@code <weight>.exp_avg_sq}
   * (PyTorch's state names) to {@code file}, atomically.
   */
  public void writeMoments(Path file) throws IOException {
    SafetensorsWriter writer = new SafetensorsWriter();
    for (int i = 0; i < weights.size(); i++) {
      String name = weights.get(i).name();
      long[] shape = first[i].getShape().getShape();
      NDArray m = first[i];
      NDArray v = second[i];
      writer.addFloats(name + FIRST, shape, m::toFloatArray);
      writer.addFloats(name + SECOND, shape, v::toFloatArray);
    }
    writer.write(file);
  }

  /**
   * Restores moments written by {@link #writeMoments} and the update count {@code t}.
   *
   * @throws IllegalArgumentException when the file's tensors are not exactly this optimizer's
   *     weights (e.g. the trainable parts changed) or a shape differs
   */
  public void readMoments(Path file, long updateCount) throws IOException {
    if (updateCount < 0) {
      throw new IllegalArgumentException("update count must be >= 0, got " + updateCount);
    }
    try (SafetensorsFile in = SafetensorsFile.open(file)) {
      Set<String> expected = new TreeSet<>();
      for (ModelWeight w : weights) {
        expected.add(w.name() + FIRST);
        expected.add(w.name() + SECOND);
      }
      if (!expected.equals(in.names())) {
        Set<String> missing = new TreeSet<>(expected);
        missing.removeAll(in.names());
        Set<String> unexpected = new TreeSet<>(in.names());
        unexpected.removeAll(expected);
        throw new IllegalArgumentException(
            file
                + ": optimizer moments do not match the trainable weights (missing "
                + missing
                + ", unexpected "
                + unexpected
                + "); were the trainable parts changed?");
      }
      List<NDArray> loaded = new ArrayList<>();
      for (int i = 0; i < weights.size(); i++) {
        Shape shape = weights.get(i).value().getShape();
        loaded.add(read(in, weights.get(i).name() + FIRST, shape));
        loaded.add(read(in, weights.get(i).name() + SECOND, shape));
      }
      for (int i = 0; i < weights.size(); i++) {
        first[i].close();
        second[i].close();
        first[i] = loaded.get(2 * i);
        second[i] = loaded.get(2 * i + 1);
      }
    }
    updates = updateCount;
  }

  private NDArray read(SafetensorsFile in, String name, Shape shape) throws IOException {
    long[] stored = in.info(name).shape();
    if (!Arrays.equals(stored, shape.getShape())) {
      throw new IllegalArgumentException(
          in.path()
              + ": moment "
              + name
              + " has shape "
              + Arrays.toString(stored)
              + ", the weight has "
              + shape);
    }
    return manager.create(in.readFloats(name), shape);
  }

  /** The first moment of weight {@code index} (for tests and inspection). */
  NDArray firstMoment(int index) {
    return first[index];
  }

  NDArray secondMoment(int index) {
    return second[index];
  }

  /** Releases the moments. */
  @Override
  public void close() {
    manager.close();
  }
}
