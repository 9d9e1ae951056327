package io.rge.training.precision;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import io.rge.core.qwen25vl.CheckpointPart;
import io.rge.core.qwen25vl.ModelWeight;
import io.rge.core.qwen25vl.WeightSource;
import io.rge.core.safetensors.SafetensorsFile;
import io.rge.core.safetensors.SafetensorsWriter;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The trainable weights as the optimizer sees them: fp32 master copies of the weights the model
 * computes with in a half precision, the weights themselves where they are fp32 already (an fp32
 * run; LoRA / DoRA adapters and the {@code <emb>} row beside a half-precision base).
 *
 * <p>The model's half-precision arrays stay the autograd leaves (DJL's {@code toType} cuts the
 * graph, so a cast from the masters inside the forward pass would record no gradient): backward
 * fills their gradients, AdamW reads those (upcast to fp32 one weight at a time, never held as a
 * second set) and updates the masters, and {@link #refresh()} then writes each master, rounded to
 * the half type, into its compute array in place.
 */
public final class MasterWeights implements AutoCloseable {
  private final List<ModelWeight> compute;
  private final List<ModelWeight> masters;
  private final NDManager manager;

  private MasterWeights(List<ModelWeight> compute, List<ModelWeight> masters, NDManager manager) {
    this.compute = List.copyOf(compute);
    this.masters = List.copyOf(masters);
    this.manager = manager;
  }

  /**
   * Masters for {@code trainable} (each recording gradients): fp32 copies of the half-precision
   * ones, in a child of {@code parent}.
   */
  public static MasterWeights of(List<ModelWeight> trainable, NDManager parent) {
    NDManager manager = parent.newSubManager();
    List<ModelWeight> masters = new ArrayList<>(trainable.size());
    for (ModelWeight w : trainable) {
      if (w.value().getDataType() == DataType.FLOAT32) {
        masters.add(w);
        continue;
      }
      NDArray copy = w.value().toType(DataType.FLOAT32, true);
      copy.attach(manager);
      masters.add(new ModelWeight(w.name(), copy, w.parts(), w.decay()));
    }
    return new MasterWeights(trainable, masters, manager);
  }

  /** The fp32 weights the optimizer updates, in the order of the trainable weights. */
  public List<ModelWeight> masters() {
    return masters;
  }

  /** The weights the model computes with (and whose gradients backward fills). */
  public List<ModelWeight> compute() {
    return compute;
  }

  /** Whether any trainable weight computes in a half precision (and so has a separate master). */
  public boolean hasHalfWeights() {
    for (int i = 0; i < compute.size(); i++) {
      if (masters.get(i) != compute.get(i)) {
        return true;
      }
    }
    return false;
  }

  /**
   * The gradients backward accumulated, in the compute type and still multiplied by the loss scale,
   * one per master; views of the gradient arrays owned by {@code scope} (no copies).
   */
  public List<NDArray> gradients(NDManager scope) {
    List<NDArray> out = new ArrayList<>(compute.size());
    for (ModelWeight w : compute) {
      NDArray g = w.value().getGradient();
      g.attach(scope);
      out.add(g);
    }
    return out;
  }

  /** Writes every master, rounded to its compute type, into the compute array (after a step). */
  public void refresh() {
    boolean gradMode = JniUtils.isGradMode();
    // In-place writes to leaves that record gradients are legal only with autograd off.
    JniUtils.setGradMode(false);
    try {
      for (int i = 0; i < compute.size(); i++) {
        if (masters.get(i) == compute.get(i)) {
          continue;
        }
        // 0 · w is 0 for the finite compute weights; the in-place add rounds the fp32 master to
        // the half type (to nearest even) without a new allocation.
        compute.get(i).value().muli(0).addi(masters.get(i).value());
      }
    } finally {
      JniUtils.setGradMode(gradMode);
    }
  }

  /** Clears the compute weights' gradients (zero_, so a skipped step's NaNs do not stay). */
  public void clearGradients() {
    for (ModelWeight w : compute) {
      JniUtils.zeroGrad((PtNDArray) w.value());
    }
  }

  /**
   * {@code base} with the checkpoint tensors of half-precision trainable weights read from their
   * fp32 masters (so that a checkpoint rounds the masters, not the rounded compute weights).
   */
  public WeightSource over(WeightSource base) {
    Map<String, ModelWeight> owners = new LinkedHashMap<>();
    Map<String, CheckpointPart> parts = new LinkedHashMap<>();
    for (int i = 0; i < compute.size(); i++) {
      if (masters.get(i) == compute.get(i)) {
        continue;
      }
      for (CheckpointPart p : masters.get(i).parts()) {
        owners.put(p.name(), masters.get(i));
        parts.put(p.name(), p);
      }
    }
    return (name, shape) -> {
      ModelWeight owner = owners.get(name);
      if (owner == null) {
        return base.floats(name, shape);
      }
      CheckpointPart p = parts.get(name);
      if (owner.parts().size() == 1) {
        return owner.value().toFloatArray();
      }
      try (NDArray rows =
          owner.value().get(new NDIndex("{}:{}", p.rowOffset(), p.rowOffset() + p.rows()))) {
        return rows.toFloatArray();
      }
    };
  }

  /** Writes the fp32 masters of the half-precision weights to {@code file}, atomically. */
  public void write(Path file) throws IOException {
    SafetensorsWriter writer = new SafetensorsWriter();
    for (int i = 0; i < compute.size(); i++) {
      if (masters.get(i) != compute.get(i)) {
        NDArray value = masters.get(i).value();
        writer.addFloats(masters.get(i).name(), value.getShape().getShape(), value::toFloatArray);
      }
    }
    writer.write(file);
  }

  /**
   * Restores masters written by {@link #write} and refreshes the compute weights from them, so a
   * resumed run continues from the exact fp32 values.
   *
   * @throws IllegalArgumentException when the file's tensors are not exactly this run's masters
   */
  public void read(Path file) throws IOException {
    try (SafetensorsFile in = SafetensorsFile.open(file)) {
      Set<String> expected = new TreeSet<>();
      for (int i = 0; i < compute.size(); i++) {
        if (masters.get(i) != compute.get(i)) {
          expected.add(masters.get(i).name());
        }
      }
      if (!expected.equals(in.names())) {
        throw new IllegalArgumentException(
            file
                + ": master weights "
                + in.names()
                + " do not match this run's half-precision trainable weights "
                + expected
                + "; were the trainable parts or the precision changed?");
      }
      for (int i = 0; i < compute.size(); i++) {
        ModelWeight m = masters.get(i);
        if (m == compute.get(i)) {
          continue;
        }
        Shape shape = m.value().getShape();
        if (!Arrays.equals(in.info(m.name()).shape(), shape.getShape())) {
          throw new IllegalArgumentException(
              file
                  + ": master "
                  + m.name()
                  + " has shape "
                  + Arrays.toString(in.info(m.name()).shape())
                  + ", the weight has "
                  + shape);
        }
        m.value().set(in.readFloats(m.name()));
      }
    }
    refresh();
  }

  /** Releases the masters (the compute weights belong to the model). */
  @Override
  public void close() {
    manager.close();
  }
}
