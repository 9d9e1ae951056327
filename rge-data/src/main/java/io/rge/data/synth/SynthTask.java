package io.rge.data.synth;

import io.rge.data.registry.MetaTask;

/** The eight RGE-Synth task datasets, two per MMEB meta-task. */
public enum SynthTask {
  /** Image of one shape; "classify the {t} of this shape" -> "{t(c)} {s}". */
  SHAPE_SHIFT("SynthShapeShift", MetaTask.CLASSIFICATION),
  /** Image of one shape; "name the {t} of this colour" -> "{t(c)}". */
  COLOR_SHIFT("SynthColorShift", MetaTask.CLASSIFICATION),
  /** Two shapes; "what is {t} of the colour of the {side} shape ?" -> "{t(c_side)}". */
  SIDE_QA("SynthSideQA", MetaTask.VQA),
  /** Two shapes; "which shape has the colour {t} of {c} ?" -> the shape whose colour is t(c). */
  WHICH_SHAPE("SynthWhichShape", MetaTask.VQA),
  /** Text to image: "find an image of a {s} whose colour is {t} of {c}" -> crop of a t(c) s. */
  T2I("SynthT2I", MetaTask.RETRIEVAL),
  /**
   * Image to image: "find this shape in the {t} of its colour" -> crop of the shape in colour t(c).
   */
  COMPOSED_I2I("SynthComposedI2I", MetaTask.RETRIEVAL),
  /** Three shapes; "select the shape whose colour is {t} of {c}" -> crop of that shape. */
  POINTING("SynthPointing", MetaTask.VISUAL_GROUNDING),
  /** Two shapes; "select the {side} shape after {t}" -> crop of that shape recoloured t(c). */
  SIDE_SHIFT("SynthSideShift", MetaTask.VISUAL_GROUNDING);

  private final String datasetName;
  private final MetaTask metaTask;

  SynthTask(String datasetName, MetaTask metaTask) {
    this.datasetName = datasetName;
    this.metaTask = metaTask;
  }

  /** Folder name in the train and eval roots. */
  public String datasetName() {
    return datasetName;
  }

  public MetaTask metaTask() {
    return metaTask;
  }
}
