package io.rge.core.prompt;

import java.util.Arrays;

/**
 * A tokenised prompt.
 *
 * @param ids the token ids, unpadded
 * @param labelStart the first position of the assistant's answer (just after {@code
 *     <|im_start|>assistant\n}): the rationale's first token, the {@code <emb>} of a candidate, or
 *     {@code ids.length} for a prompt that ends where generation starts
 */
public record PromptTokens(int[] ids, int labelStart) {
  /** The label value cross-entropy ignores (PyTorch's default {@code ignore_index}). */
  public static final int IGNORE = -100;

  public PromptTokens {
    ids = ids.clone();
    if (labelStart < 0 || labelStart > ids.length) {
      throw new IllegalArgumentException(
          "labelStart " + labelStart + " is outside [0, " + ids.length + "]");
    }
  }

  @Override
  public int[] ids() {
    return ids.clone();
  }

  public int length() {
    return ids.length;
  }

  /** Language-model labels: the ids on {@code [labelStart, length)}, {@link #IGNORE} before. */
  public int[] labels() {
    int[] labels = ids.clone();
    Arrays.fill(labels, 0, labelStart, IGNORE);
    return labels;
  }

  /** The id at {@code position}. */
  public int id(int position) {
    return ids[position];
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof PromptTokens p && labelStart == p.labelStart && Arrays.equals(ids, p.ids);
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.hashCode(ids) + labelStart;
  }

  @Override
  public String toString() {
    return "PromptTokens[" + ids.length + " ids, labelStart=" + labelStart + "]";
  }
}
