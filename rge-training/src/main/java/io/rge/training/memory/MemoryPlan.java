package io.rge.training.memory;

import io.rge.core.adapters.AdapterSettings;
import io.rge.core.precision.ComputePrecision;
import io.rge.core.qwen25vl.CheckpointLayout;
import io.rge.core.qwen25vl.Qwen25VLConfig;
import io.rge.core.qwen25vl.TextConfig;
import java.util.Locale;
import java.util.Map;

/**
 * What a training run needs in device memory, before it starts: weights, gradients, optimizer state
 * (and fp32 master weights when computing in a half precision), and an estimate of the activations
 * of one micro-batch.
 *
 * <p>Counts are exact (parameters from {@link CheckpointLayout}); the activation figure is an
 * estimate of what this implementation keeps for the backward pass per decoder layer and token:
 * about {@code 12·H + 4·I} elements of the compute type (norm inputs and outputs, q/k/v and their
 * rotated copies, attention output, the MLP's gate/up, activation and product) plus the attention
 * probabilities {@code heads · L} in fp32 per token; with recomputation, only each layer's input
 * ({@code H}) is kept, plus one layer's full activations during its replay. Logits are counted at
 * the labelled positions: {@code rationale tokens × vocabulary} in fp32, twice (logits and their
 * log softmax). The vision tower is left out of the activation estimate (a few hundred patches per
 * image against the decoder's sequence; measure before relying on it).
 *
 * @param parameters all parameters of the model
 * @param trainable the parameters that train
 * @param precision the compute precision
 * @param weightBytes every weight in the compute type
 * @param masterBytes fp32 master copies of trainable weights (half precisions only; none for
 *     adapters, which are fp32 themselves)
 * @param gradientBytes trainable gradients in the compute type
 * @param optimizerBytes AdamW's two fp32 moments per trainable parameter
 * @param activationBytes the activation estimate of one micro-batch
 */
public record MemoryPlan(
    long parameters,
    long trainable,
    ComputePrecision precision,
    boolean recomputation,
    long weightBytes,
    long masterBytes,
    long gradientBytes,
    long optimizerBytes,
    long activationBytes) {

  /** Elements per token and layer of the kept activations, in units of H and I (see above). */
  private static final int HIDDEN_FACTOR = 12;

  private static final int INTERMEDIATE_FACTOR = 4;

  /**
   * @param config the model's architecture
   * @param trainable which parameters train, by canonical checkpoint name
   * @param batchSize rows per micro-batch
   * @param sequenceLength tokens per row (prompt plus rationale)
   * @param labelledTokens tokens per row whose next-token loss is computed (the rationale)
   */
  public static MemoryPlan of(
      Qwen25VLConfig config,
      java.util.function.Predicate<String> trainable,
      ComputePrecision precision,
      boolean recomputation,
      int batchSize,
      int sequenceLength,
      int labelledTokens) {
    long parameters = 0;
    long trained = 0;
    for (Map.Entry<String, long[]> e : CheckpointLayout.expectedShapes(config).entrySet()) {
      long n = 1;
      for (long d : e.getValue()) {
        n = Math.multiplyExact(n, d);
      }
      parameters += n;
      if (trainable.test(e.getKey())) {
        trained += n;
      }
    }
    int bytes = precision.dataType().getNumOfBytes();
    long activations =
        activationBytes(
            config.text(), bytes, recomputation, batchSize, sequenceLength, labelledTokens);
    return new MemoryPlan(
        parameters,
        trained,
        precision,
        recomputation,
        parameters * bytes,
        precision.isHalf() ? trained * 4 : 0,
        trained * bytes,
        trained * 8,
        activations);
  }

  /**
   * The plan of an adapter run: the base frozen and stored in the compute type only (no gradient,
   * no master copy), the adapters (LoRA A/B, DoRA magnitudes) and the {@code <emb>} row trainable
   * in fp32 (weights, gradients and two AdamW moments each, no master copy: they are their own).
   */
  public static MemoryPlan withAdapters(
      Qwen25VLConfig config,
      AdapterSettings adapters,
      ComputePrecision precision,
      boolean recomputation,
      int batchSize,
      int sequenceLength,
      int labelledTokens) {
    long base = 0;
    long trained = config.text().hiddenSize(); // the <emb> row
    for (Map.Entry<String, long[]> e : CheckpointLayout.expectedShapes(config).entrySet()) {
      long n = 1;
      for (long d : e.getValue()) {
        n = Math.multiplyExact(n, d);
      }
      base += n;
      if (adapters.adapts(e.getKey(), e.getValue())) {
        trained += adapters.parameters(e.getValue());
      }
    }
    int bytes = precision.dataType().getNumOfBytes();
    long activations =
        activationBytes(
            config.text(), bytes, recomputation, batchSize, sequenceLength, labelledTokens);
    return new MemoryPlan(
        base + trained,
        trained,
        precision,
        recomputation,
        base * bytes + trained * 4,
        0,
        trained * 4,
        trained * 8,
        activations);
  }

  private static long activationBytes(
      TextConfig t, int bytes, boolean recomputation, int batch, int length, int labelled) {
    long tokens = (long) batch * length;
    long perLayerToken =
        (long) bytes
                * (HIDDEN_FACTOR * (long) t.hiddenSize()
                    + INTERMEDIATE_FACTOR * (long) t.intermediateSize())
            + 4L * t.numAttentionHeads() * length;
    long layers = t.numHiddenLayers();
    long decoder =
        recomputation
            ? tokens * ((long) bytes * t.hiddenSize() * layers + perLayerToken)
            : tokens * perLayerToken * layers;
    long logits = 2L * 4 * batch * (long) labelled * t.vocabSize();
    return decoder + logits;
  }

  public long totalBytes() {
    return weightBytes + masterBytes + gradientBytes + optimizerBytes + activationBytes;
  }

  /** Whether the plan fits in {@code capacityBytes}. */
  public boolean fits(long capacityBytes) {
    return totalBytes() <= capacityBytes;
  }

  /** A few lines for the log and for {@code rge train --dry-run}. */
  public String describe() {
    return String.format(
        Locale.ROOT,
        "memory plan (%s%s): %,d parameters, %,d trainable%n"
            + "  weights     %s%n"
            + "  master fp32 %s%n"
            + "  gradients   %s%n"
            + "  optimizer   %s (AdamW moments, fp32)%n"
            + "  activations %s (estimate, one micro-batch)%n"
            + "  total       %s",
        precision,
        recomputation ? ", activation recomputation" : "",
        parameters,
        trainable,
        gib(weightBytes),
        gib(masterBytes),
        gib(gradientBytes),
        gib(optimizerBytes),
        gib(activationBytes),
        gib(totalBytes()));
  }

  static String gib(long bytes) {
    return String.format(Locale.ROOT, "%,.2f GiB", bytes / (double) (1L << 30));
  }
}
