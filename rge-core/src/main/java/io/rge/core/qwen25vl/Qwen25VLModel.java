package io.rge.core.qwen25vl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import io.rge.core.image.ImageGrid;
import io.rge.core.image.ProcessedImage;
import io.rge.core.precision.ComputePrecision;
import io.rge.core.precision.PrecisionChoice;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * {@code Qwen2_5_VLForConditionalGeneration} on DJL: the vision tower, the M-RoPE decoder and the
 * LM head, with a differentiable forward pass for training and cached prefill/decode steps for
 * generation.
 *
 * <p>Weights live in the model's own manager (closed by {@link #close()}); every call takes a
 * {@code scope} manager that owns the activations it creates, so callers free a step's memory by
 * closing its scope. Shapes: B batch, L sequence, H hidden.
 */
public final class Qwen25VLModel implements AutoCloseable {
  private final Qwen25VLConfig config;
  private final NDManager manager;
  private final ModelWeights weights;
  private final VisionTower vision;
  private final TextDecoder decoder;
  private final RopeIndex ropeIndex;
  private final ImagePositions imagePositions;
  private final MultimodalRotary rotary;
  private final LayerSeeds seeds;
  private RecomputationTape tape;

  private Qwen25VLModel(
      Qwen25VLConfig config,
      NDManager manager,
      ModelWeights weights,
      VisionTower vision,
      TextDecoder decoder,
      ImagePositions imagePositions,
      LayerSeeds seeds) {
    this.config = config;
    this.seeds = seeds;
    this.manager = manager;
    this.weights = weights;
    this.vision = vision;
    this.decoder = decoder;
    this.ropeIndex = new RopeIndex(config, imagePositions);
    this.imagePositions = imagePositions;
    this.rotary = new MultimodalRotary(config.text(), manager);
  }

  /** Builds the model in a child of {@code parent}, taking every weight from {@code source}. */
  public static Qwen25VLModel create(Qwen25VLConfig config, WeightSource source, NDManager parent) {
    return create(config, source, parent, ImagePositions.GRID);
  }

  /**
   * Builds the model with a choice of image positions; {@link ImagePositions#SEQUENTIAL} only
   * serves to reproduce references computed without M-RoPE image positions.
   */
  public static Qwen25VLModel create(
      Qwen25VLConfig config, WeightSource source, NDManager parent, ImagePositions imagePositions) {
    return create(config, source, parent, imagePositions, ComputePrecision.FP32);
  }

  /**
   * Builds the model computing in {@code precision}: weights stored in its type, the numerically
   * sensitive steps in fp32 (see {@link ComputePrecision}). A half precision is for inference; bf16
   * is refused where the JNI library cannot hold it (see {@link PrecisionChoice}).
   */
  public static Qwen25VLModel create(
      Qwen25VLConfig config,
      WeightSource source,
      NDManager parent,
      ImagePositions imagePositions,
      ComputePrecision precision) {
    if (precision == ComputePrecision.BF16) {
      // Every route to a bf16 array passes here: refused, naming the fix, before one exists where
      // the JNI library does not map bf16 (stock DJL 0.36 aborts the JVM).
      PrecisionChoice.resolve(precision, parent.getDevice());
    }
    NDManager manager = parent.newSubManager();
    try {
      ModelWeights weights =
          new ModelWeights(
              manager, source, CheckpointLayout.expectedShapes(config), precision.dataType());
      LayerSeeds seeds = new LayerSeeds();
      VisionTower vision = VisionTower.build(weights, config.vision(), manager, seeds);
      TextDecoder decoder =
          TextDecoder.build(weights, config.text(), config.tieWordEmbeddings(), seeds);
      return new Qwen25VLModel(config, manager, weights, vision, decoder, imagePositions, seeds);
    } catch (RuntimeException e) {
      manager.close();
      throw e;
    }
  }

  /**
   * Turns activation recomputation on or off for training passes: while autograd records, the
   * decoder layers and the vision blocks keep only their inputs and are re-run during {@link
   * #backward}, trading a second forward pass for the activations of all but one layer.
   */
  public void setActivationRecomputation(boolean on) {
    tape = on ? new RecomputationTape() : null;
  }

  public boolean recomputesActivations() {
    return tape != null;
  }

  /**
   * Backward pass of {@code loss} through {@code collector}, completed through any recomputed
   * layers; training calls this rather than {@code collector.backward} directly.
   */
  public void backward(GradientCollector collector, NDArray loss) {
    collector.backward(loss);
    if (tape != null) {
      tape.backward();
      seeds.restore(); // the replays reseeded the generator; back to where a plain pass leaves it
    }
  }

  public Qwen25VLConfig config() {
    return config;
  }

  /** How image tokens are numbered (the positions the model was built with). */
  public ImagePositions imagePositions() {
    return imagePositions;
  }

  /**
   * Uses {@code row} {@code [hidden]} as {@code token}'s embedding (and LM-head row when tied)
   * instead of the embedding matrix's row, e.g. a trainable {@code <emb>} row beside a frozen
   * matrix; null restores the matrix row.
   */
  public void overrideTokenRow(int token, NDArray row) {
    decoder.overrideRow(token, row);
  }

  public ModelWeights weights() {
    return weights;
  }

  public NDManager manager() {
    return manager;
  }

  /**
   * Full forward pass over a padded batch (no cache); differentiable under a gradient collector.
   */
  public ModelOutput forward(NDManager scope, ModelInput input, OutputRequest request) {
    Prepared p = prepare(scope, input, request.traceVision());
    List<NDArray> states = request.hiddenStates() ? new ArrayList<>() : null;
    NDArray hidden = decoder.run(p.embedded.embeddings, p.rotary, p.mask, null, states, tape);
    if (states != null) {
      states.add(hidden);
    }
    NDArray logits = request.logits() ? decoder.logits(hidden) : null;
    NDArray gathered = request.gather() == null ? null : gather(scope, hidden, request.gather());
    return new ModelOutput(hidden, logits, gathered, states, p.embedded.vision, p.deltas);
  }

  /**
   * The set-up a pass over a whole padded batch shares with prefill: M-RoPE positions, token and
   * image embeddings {@code [B, L, H]}, the rotation tables and the causal + padding mask.
   */
  private Prepared prepare(NDManager scope, ModelInput input, boolean traceVision) {
    return prepare(scope, new int[0], input, traceVision);
  }

  /**
   * As {@link #prepare(NDManager, ModelInput, boolean)} for the continuation of a cached text
   * {@code prefix} (the same in every row): positions and mask are those of the whole prompts
   * {@code prefix + row}, kept for the new tokens only.
   */
  private Prepared prepare(NDManager scope, int[] prefix, ModelInput input, boolean traceVision) {
    int b = input.batchSize();
    int p = prefix.length;
    int l = input.length();
    int[][] ids = input.ids();
    int[][] valid = input.mask();
    if (p > 0) {
      ids = new int[b][p + l];
      valid = new int[b][p + l];
      for (int r = 0; r < b; r++) {
        System.arraycopy(prefix, 0, ids[r], 0, p);
        System.arraycopy(input.ids()[r], 0, ids[r], p, l);
        Arrays.fill(valid[r], 0, p, 1);
        System.arraycopy(input.mask()[r], 0, valid[r], p, l);
      }
    }
    RopeIndex.RopePositions whole = ropeIndex.compute(ids, valid, grids(input));
    int[][][] positions = whole.positions();
    if (p > 0) {
      positions = new int[3][b][];
      for (int d = 0; d < 3; d++) {
        for (int r = 0; r < b; r++) {
          positions[d][r] = Arrays.copyOfRange(whole.positions()[d][r], p, p + l);
        }
      }
    }
    Embedded embedded = embed(scope, input, traceVision);
    Rotary tables = rotary.tables(scope, positions); // [B, L, headDim] each
    NDArray mask = AttentionMask.causal(scope, valid, p, l);
    return new Prepared(embedded, tables, mask, whole.deltas());
  }

  /** A new, empty KV cache whose arrays live in a child of {@code parent} until it is closed. */
  public KvCache newCache(NDManager parent) {
    return new KvCache(decoder.layerCount(), parent);
  }

  /**
   * Runs a batch's prompts into {@code cache}. Rows must be left-padded so that every row's next
   * token goes to the same column.
   *
   * @return the final hidden state of each row's last token, {@code [B, H]}
   */
  public NDArray prefill(NDManager scope, ModelInput input, KvCache cache) {
    return prefill(scope, new int[0], input, cache);
  }

  /**
   * Runs a batch's prompt continuations into a cache that already holds their common {@code prefix}
   * (text only, the same in every row, see {@link KvCache#copyRows}): positions and the attention
   * mask are those of the whole prompts {@code prefix + row}, computed for the new tokens only.
   * Rows must be left-padded; with an empty prefix and cache this is a plain prefill.
   *
   * @return the final hidden state of each row's last token, {@code [B, H]}
   */
  public NDArray prefill(NDManager scope, int[] prefix, ModelInput input, KvCache cache) {
    if (cache.length() != prefix.length) {
      throw new IllegalStateException(
          "the cache holds " + cache.length() + " positions, the prefix " + prefix.length);
    }
    if (prefix.length > 0 && cache.rows() != input.batchSize()) {
      throw new IllegalArgumentException(
          input.batchSize() + " rows for a prefix cache of " + cache.rows() + " rows");
    }
    for (int[] row : input.mask()) {
      if (row[row.length - 1] == 0) {
        throw new IllegalArgumentException("prefill needs left padding (a row ends in padding)");
      }
    }
    Prepared prepared = prepare(scope, prefix, input, false);
    cache.setDeltas(prepared.deltas);
    NDArray hidden =
        decoder.run(
            prepared.embedded.embeddings, prepared.rotary, prepared.mask, cache, null, null);
    cache.advance(input.length());
    int b = input.batchSize();
    return hidden.get(":, -1, :").reshape(b, config.text().hiddenSize());
  }

  /**
   * One decoding step: appends one token per row to {@code cache}.
   *
   * @param tokens the next token of each cached row
   * @param keyValid {@code [B][cache.length() + 1]}: which cached positions are real tokens, plus 1
   *     for the new one
   * @return the new tokens' final hidden states {@code [B, H]}
   */
  public NDArray decode(NDManager scope, int[] tokens, KvCache cache, int[][] keyValid) {
    int b = tokens.length;
    if (b != cache.rows()) {
      throw new IllegalArgumentException(b + " tokens for a cache of " + cache.rows() + " rows");
    }
    long[] pos = new long[b];
    long[] ids = new long[b];
    for (int r = 0; r < b; r++) {
      pos[r] = cache.length() + cache.deltas()[r];
      ids[r] = tokens[r];
    }
    NDArray x = decoder.embed(scope, scope.create(ids, new Shape(b, 1)));
    Rotary step = rotary.step(scope, pos);
    NDArray mask = AttentionMask.causal(scope, keyValid, cache.length(), 1);
    NDArray hidden = decoder.run(x, step, mask, cache, null, null);
    cache.advance(1);
    return hidden.reshape(b, config.text().hiddenSize());
  }

  /** LM-head logits {@code [..., vocab]} of final hidden states {@code [..., H]}. */
  public NDArray logits(NDArray hidden) {
    return decoder.logits(hidden);
  }

  private static List<ImageGrid> grids(ModelInput input) {
    List<ImageGrid> grids = new ArrayList<>(input.images().size());
    for (ProcessedImage image : input.images()) {
      grids.add(image.grid());
    }
    return grids;
  }

  private Embedded embed(NDManager scope, ModelInput input, boolean trace) {
    int b = input.batchSize();
    int l = input.length();
    long[] flatIds = new long[b * l];
    int imageTokens = 0;
    int imagePad = config.tokens().imagePad();
    for (int r = 0; r < b; r++) {
      for (int i = 0; i < l; i++) {
        int id = input.ids()[r][i];
        if (id < 0 || id >= config.text().vocabSize()) {
          throw new IllegalArgumentException(
              "token id " + id + " at row " + r + ", position " + i + " is outside the vocabulary");
        }
        flatIds[r * l + i] = id;
        if (id == imagePad && input.mask()[r][i] != 0) {
          imageTokens++;
        }
      }
    }
    NDArray embeddings = decoder.embed(scope, scope.create(flatIds, new Shape(b, l)));
    if (input.images().isEmpty()) {
      if (imageTokens != 0) {
        throw new IllegalArgumentException(
            "the batch has " + imageTokens + " <|image_pad|> tokens but no images");
      }
      return new Embedded(embeddings, null);
    }
    int rows = 0;
    for (ProcessedImage image : input.images()) {
      rows += image.grid().patches();
    }
    int width = input.images().get(0).patchVectorSize();
    float[] pixels = new float[rows * width];
    int offset = 0;
    for (ProcessedImage image : input.images()) {
      System.arraycopy(image.pixelValues(), 0, pixels, offset, image.pixelValues().length);
      offset += image.pixelValues().length;
    }
    VisionTower.VisionOutput vo =
        vision.forward(
            scope, scope.create(pixels, new Shape(rows, width)), grids(input), trace, tape);
    long features = vo.tokens().getShape().get(0);
    if (features != imageTokens) {
      throw new IllegalArgumentException(
          "Image features and image tokens do not match: tokens "
              + imageTokens
              + ", features "
              + features);
    }
    // Scatter image features into the <|image_pad|> slots: one gather over [tokens; features].
    long[] index = new long[b * l];
    int k = 0;
    for (int r = 0; r < b; r++) {
      for (int i = 0; i < l; i++) {
        boolean image = input.ids()[r][i] == imagePad && input.mask()[r][i] != 0;
        index[r * l + i] = image ? (long) b * l + k++ : r * l + i;
      }
    }
    int h = config.text().hiddenSize();
    NDArray table = NDArrays.concat(new NDList(embeddings.reshape((long) b * l, h), vo.tokens()));
    NDArray merged = table.get(scope.create(index)).reshape(b, l, h);
    return new Embedded(merged, vo);
  }

  private NDArray gather(NDManager scope, NDArray hidden, int[][] pairs) {
    long b = hidden.getShape().get(0);
    long l = hidden.getShape().get(1);
    long[] flat = new long[pairs.length];
    for (int i = 0; i < pairs.length; i++) {
      if (pairs[i][0] < 0 || pairs[i][0] >= b || pairs[i][1] < 0 || pairs[i][1] >= l) {
        throw new IllegalArgumentException(
            "gather position ("
                + pairs[i][0]
                + ", "
                + pairs[i][1]
                + ") outside ["
                + b
                + ", "
                + l
                + "]");
      }
      flat[i] = pairs[i][0] * l + pairs[i][1];
    }
    return hidden.reshape(b * l, -1).get(scope.create(flat));
  }

  @Override
  public void close() {
    manager.close();
  }

  private record Embedded(NDArray embeddings, VisionTower.VisionOutput vision) {}

  /** See {@link #prepare}; {@code mask} is null when nothing is masked. */
  private record Prepared(Embedded embedded, Rotary rotary, NDArray mask, long[] deltas) {}
}
