package io.rge.training.optim;

import io.rge.core.qwen25vl.CheckpointLayout;
import io.rge.core.qwen25vl.ModelWeight;
import java.util.Locale;
import java.util.function.Predicate;

/**
 * Which weights training updates. Qwen2.5-VL has three parts: the vision tower ({@code
 * visual.patch_embed}, {@code visual.blocks}), the patch merger that projects vision features into
 * the decoder's width ({@code visual.merger}), and the language decoder ({@code model.*} plus
 * {@code lm_head} when untied).
 */
public enum TrainableParts implements Predicate<ModelWeight> {
  /** Every weight. */
  ALL,
  /**
   * The language decoder only ({@code model.*} and {@code lm_head.*}); the whole vision side,
   * merger included, is frozen.
   */
  DECODER_ONLY,
  /**
   * The vision tower frozen, the merger and the decoder trained: the usual choice when fine-tuning
   * a VLM on new text behaviour, since the merger is the decoder's interface to the image features
   * and cheap to adapt.
   */
  FREEZE_VISION;

  private static final String MERGER = CheckpointLayout.VISION_PREFIX + "merger.";

  @Override
  public boolean test(ModelWeight weight) {
    return trains(weight.name());
  }

  /** Whether the weight or checkpoint tensor of this (canonical) name trains. */
  public boolean trains(String name) {
    return switch (this) {
      case ALL -> true;
      case DECODER_ONLY ->
          name.startsWith(CheckpointLayout.TEXT_PREFIX)
              || name.startsWith(CheckpointLayout.LM_HEAD_MODULE + ".");
      case FREEZE_VISION ->
          !name.startsWith(CheckpointLayout.VISION_PREFIX) || name.startsWith(MERGER);
    };
  }

  /** The name used in configs: {@code all}, {@code decoder_only}, {@code freeze_vision}. */
  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }
}
