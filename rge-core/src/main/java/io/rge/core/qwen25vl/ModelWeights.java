package io.rge.core.qwen25vl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The model's weights, in construction order, each created from a {@link WeightSource} in the
 * model's manager with the shape {@link CheckpointLayout} gives its name. Blocks ask for their
 * arrays here, by the layout's names, while they are built; fused arrays are concatenated on the
 * host so that each stays a leaf for autograd.
 */
public final class ModelWeights {
  private final NDManager manager;
  private final WeightSource source;
  private final Map<String, long[]> layout;
  private final DataType storage;
  private final Map<String, ModelWeight> byName = new LinkedHashMap<>();
  private final Map<NDArray, Projection> projections = new IdentityHashMap<>();

  /**
   * @param layout canonical name → shape, {@link CheckpointLayout#expectedShapes} of the model
   * @param storage the type the arrays are stored in: FLOAT32, or a half type for half-precision
   *     inference (each tensor converted on the device as it arrives)
   */
  ModelWeights(
      NDManager manager, WeightSource source, Map<String, long[]> layout, DataType storage) {
    this.manager = manager;
    this.source = source;
    this.layout = layout;
    this.storage = storage;
  }

  /** The type the weight arrays are stored in. */
  public DataType storage() {
    return storage;
  }

  /** An array of {@code values} in the storage type (fp32 values converted on the device). */
  private NDArray create(float[] values, Shape shape) {
    NDArray fp32 = manager.create(values, shape);
    if (storage == DataType.FLOAT32) {
      return fp32;
    }
    NDArray stored = fp32.toType(storage, false);
    fp32.close();
    return stored;
  }

  /** Registers and returns one checkpoint tensor as a model weight of its layout shape. */
  NDArray load(String name, boolean decay) {
    long[] shape = layoutShape(name);
    float[] values = checked(name, shape);
    NDArray array = create(values, new Shape(shape));
    long rows = shape.length == 0 ? 1 : shape[0];
    register(
        new ModelWeight(
            name, array, List.of(new CheckpointPart(name, shape, 0, (int) rows)), decay));
    return array;
  }

  /**
   * Registers checkpoint tensors stacked along their first axis as one weight, e.g. q/k/v
   * projections as one {@code [q+k+v, hidden]} matrix.
   */
  NDArray fuseRows(String fusedName, boolean decay, String... names) {
    List<long[]> shapes = new ArrayList<>();
    for (String name : names) {
      shapes.add(layoutShape(name));
    }
    long columns = shapes.get(0).length == 1 ? 1 : shapes.get(0)[1];
    int totalRows = 0;
    int totalSize = 0;
    for (long[] s : shapes) {
      totalRows += (int) s[0];
      totalSize += (int) Arrays.stream(s).reduce(1, Math::multiplyExact);
    }
    float[] fused = new float[totalSize];
    List<CheckpointPart> parts = new ArrayList<>();
    int offset = 0;
    int row = 0;
    for (int i = 0; i < names.length; i++) {
      long[] s = shapes.get(i);
      float[] values = checked(names[i], s);
      System.arraycopy(values, 0, fused, offset, values.length);
      parts.add(new CheckpointPart(names[i], s, row, (int) s[0]));
      offset += values.length;
      row += (int) s[0];
    }
    Shape shape = shapes.get(0).length == 1 ? new Shape(totalRows) : new Shape(totalRows, columns);
    NDArray array = create(fused, shape);
    register(new ModelWeight(fusedName, array, parts, decay));
    return array;
  }

  /**
   * Registers a checkpoint tensor as the matrix {@code [first axis, product of the others]} with
   * the same element order (the patch embedding's Conv3d kernel {@code [out, C, T, P, P]} used as a
   * matrix {@code [out, C·T·P·P]}).
   */
  NDArray loadAsMatrix(String name) {
    long[] checkpointShape = layoutShape(name);
    float[] values = checked(name, checkpointShape);
    long rows = checkpointShape[0];
    NDArray array = create(values, new Shape(rows, values.length / rows));
    register(
        new ModelWeight(
            name, array, List.of(new CheckpointPart(name, checkpointShape, 0, (int) rows)), true));
    return array;
  }

  private long[] layoutShape(String name) {
    long[] shape = layout.get(name);
    if (shape == null) {
      throw new IllegalStateException(name + " is not a tensor of this model's CheckpointLayout");
    }
    return shape;
  }

  /** A linear layer over registered weights, which {@link #adapt} can later reach by its weight. */
  Projection projection(NDArray weight, NDArray bias) {
    Projection p = new Projection(weight, bias);
    projections.put(weight, p);
    return p;
  }

  /**
   * Routes the linear layer whose weight is {@code weight} through {@code adapter}, or back to the
   * plain layer when {@code adapter} is null.
   *
   * @throws IllegalArgumentException when no linear layer uses {@code weight}
   */
  public void adapt(ModelWeight weight, ProjectionAdapter adapter) {
    Projection p = projections.get(weight.value());
    if (p == null) {
      throw new IllegalArgumentException(weight.name() + " is not the weight of a linear layer");
    }
    p.adapt(adapter);
  }

  private float[] checked(String name, long[] shape) {
    float[] values = source.floats(name, shape);
    long expected = Arrays.stream(shape).reduce(1, Math::multiplyExact);
    if (values == null || values.length != expected) {
      throw new IllegalArgumentException(
          name
              + ": weight source gave "
              + (values == null ? "nothing" : values.length + " values")
              + ", expected "
              + expected
              + " for shape "
              + Arrays.toString(shape));
    }
    return values;
  }

  private void register(ModelWeight weight) {
    if (byName.putIfAbsent(weight.name(), weight) != null) {
      throw new IllegalStateException("weight " + weight.name() + " registered twice");
    }
  }

  /** All weights in construction order. */
  public List<ModelWeight> all() {
    return Collections.unmodifiableList(new ArrayList<>(byName.values()));
  }

  public ModelWeight get(String name) {
    ModelWeight w = byName.get(name);
    if (w == null) {
      throw new IllegalArgumentException("no model weight named " + name);
    }
    return w;
  }

  /**
   * The current values of every checkpoint tensor, read from the device one tensor at a time when
   * asked (for saving without holding a second copy of the model).
   */
  public WeightSource currentValues() {
    Map<String, CheckpointPart> parts = new LinkedHashMap<>();
    Map<String, ModelWeight> owners = new LinkedHashMap<>();
    for (ModelWeight w : byName.values()) {
      for (CheckpointPart p : w.parts()) {
        parts.put(p.name(), p);
        owners.put(p.name(), w);
      }
    }
    return (name, shape) -> {
      CheckpointPart p = parts.get(name);
      if (p == null) {
        throw new IllegalArgumentException("the model has no tensor " + name);
      }
      if (!Arrays.equals(p.shape(), shape)) {
        throw new IllegalArgumentException(
            name + " has shape " + Arrays.toString(p.shape()) + ", not " + Arrays.toString(shape));
      }
      NDArray value = owners.get(name).value();
      if (owners.get(name).parts().size() == 1) {
        return Upcast.hostFloats(value);
      }
      try (NDArray rows =
          value.get(
              new ai.djl.ndarray.index.NDIndex("{}:{}", p.rowOffset(), p.rowOffset() + p.rows()))) {
        return Upcast.hostFloats(rows);
      }
    };
  }

  /**
   * Marks the weights {@code which} selects as trainable (recording gradients) and the rest not.
   */
  public void setTrainable(java.util.function.Predicate<ModelWeight> which) {
    for (ModelWeight w : byName.values()) {
      w.value().setRequiresGradient(which.test(w));
    }
  }

  /** The weights that record gradients. */
  public List<ModelWeight> trainable() {
    List<ModelWeight> out = new ArrayList<>();
    for (ModelWeight w : byName.values()) {
      if (w.value().hasGradient()) {
        out.add(w);
      }
    }
    return out;
  }

  /** Clears accumulated gradients (backward passes add to them until cleared). */
  public void zeroGradients() {
    for (ModelWeight w : trainable()) {
      // zero_() in place: subtracting the gradient from itself would keep NaNs of a skipped step.
      JniUtils.zeroGrad((PtNDArray) w.value());
    }
  }

  /**
   * The L2 norm of each checkpoint tensor's gradient, by canonical name (fused weights split back
   * into their parts).
   */
  public Map<String, Double> gradientNorms() {
    Map<String, Double> out = new LinkedHashMap<>();
    for (ModelWeight w : trainable()) {
      try (NDArray g = w.value().getGradient()) {
        for (CheckpointPart p : w.parts()) {
          NDArray part =
              w.parts().size() == 1
                  ? g
                  : g.get(
                      new ai.djl.ndarray.index.NDIndex(
                          "{}:{}", p.rowOffset(), p.rowOffset() + p.rows()));
          // A half-precision weight's gradient is half too: the norm is taken in fp32.
          NDArray part32 =
              part.getDataType() == DataType.FLOAT32 ? part : part.toType(DataType.FLOAT32, false);
          try (NDArray norm = part32.norm()) {
            out.put(p.name(), (double) norm.getFloat());
          }
          if (part32 != part) {
            part32.close();
          }
          if (part != g) {
            part.close();
          }
        }
      }
    }
    return out;
  }

  /** Shapes of every checkpoint tensor the model holds, by canonical name. */
  public Map<String, long[]> checkpointShapes() {
    Map<String, long[]> out = new LinkedHashMap<>();
    for (ModelWeight w : byName.values()) {
      for (CheckpointPart p : w.parts()) {
        out.put(p.name(), p.shape());
      }
    }
    return out;
  }
}
