package io.rge.core.qwen25vl;

import ai.djl.ndarray.NDArray;
import java.util.List;

/**
 * The result of a forward pass; arrays live in the caller's scope.
 *
 * @param lastHidden {@code [B, L, hidden]} after the final norm
 * @param logits {@code [B, L, vocab]} or null
 * @param gathered {@code [pairs, hidden]} final hidden states at the requested pairs, or null
 * @param hiddenStates inputs embeddings, each layer's output, final normed states; or null
 * @param vision the vision tower's output when the batch had images and tracing was asked, else
 *     null
 * @param ropeDeltas each row's M-RoPE delta for continuing positions
 */
public record ModelOutput(
    NDArray lastHidden,
    NDArray logits,
    NDArray gathered,
    List<NDArray> hiddenStates,
    VisionTower.VisionOutput vision,
    long[] ropeDeltas) {}
