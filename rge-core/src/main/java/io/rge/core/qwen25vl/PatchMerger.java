package io.rge.core.qwen25vl;

import ai.djl.ndarray.NDArray;

/**
 * Fuses each group of {@code merge²} neighbouring patches into one language-model token: RMSNorm,
 * concatenation of the group, then Linear–GELU–Linear to the decoder's width.
 */
final class PatchMerger {
  private final RmsNorm lnQ;
  private final Projection fc1;
  private final Projection fc2;
  private final int groupWidth;

  PatchMerger(RmsNorm lnQ, Projection fc1, Projection fc2, int groupWidth) {
    this.lnQ = lnQ;
    this.fc1 = fc1;
    this.fc2 = fc2;
    this.groupWidth = groupWidth;
  }

  /** {@code [N, hidden] → [N / merge², outHidden]}. */
  NDArray forward(NDArray x) {
    NDArray grouped = lnQ.forward(x).reshape(-1, groupWidth);
    // nn.GELU() is the exact (erf) form, as torch.gelu computes it.
    return fc2.apply(fc1.apply(grouped).getNDArrayInternal().gelu());
  }
}
