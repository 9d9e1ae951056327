package io.rge.core.qwen25vl;

import static io.rge.core.qwen25vl.CheckpointLayout.bias;
import static io.rge.core.qwen25vl.CheckpointLayout.weight;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.nn.core.Linear;
import ai.djl.pytorch.jni.JniUtils;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * The language model: token embedding, decoder layers, final RMSNorm and the LM head (the embedding
 * matrix itself when embeddings are tied).
 */
final class TextDecoder {
  private final NDArray embedTokens;
  private final List<DecoderLayer> layers;
  private final RmsNorm norm;
  private final NDArray lmHead;
  private final boolean tied;
  private final LayerSeeds seeds;
  private int rowToken = -1;
  private NDArray row; // [hidden], replaces embedTokens[rowToken] (and its logit when tied)
  private NDArray rowColumn; // [vocab] boolean, true at rowToken

  private TextDecoder(
      NDArray embedTokens,
      List<DecoderLayer> layers,
      RmsNorm norm,
      NDArray lmHead,
      LayerSeeds seeds) {
    this.embedTokens = embedTokens;
    this.seeds = seeds;
    this.layers = List.copyOf(layers);
    this.norm = norm;
    this.lmHead = lmHead;
    this.tied = embedTokens == lmHead;
  }

  static TextDecoder build(ModelWeights weights, TextConfig c, boolean tied, LayerSeeds seeds) {
    // Embeddings take no weight decay (AdamW convention), and neither does a tied head.
    NDArray embed = weights.load(CheckpointLayout.EMBED_TOKENS, false);
    List<DecoderLayer> layers = new ArrayList<>();
    for (int i = 0; i < c.numHiddenLayers(); i++) {
      CheckpointLayout.DecoderLayerNames n = CheckpointLayout.DecoderLayerNames.of(i);
      TextAttention attention =
          new TextAttention(
              weights.projection(
                  weights.fuseRows(
                      weight(n.qkv()), true, weight(n.q()), weight(n.k()), weight(n.v())),
                  weights.fuseRows(bias(n.qkv()), false, bias(n.q()), bias(n.k()), bias(n.v()))),
              weights.projection(weights.load(weight(n.o()), true), null),
              c.numAttentionHeads(),
              c.numKeyValueHeads(),
              c.headDim());
      SwiGluMlp mlp =
          new SwiGluMlp(
              weights.projection(
                  weights.fuseRows(weight(n.gateUp()), true, weight(n.gate()), weight(n.up())),
                  null),
              weights.projection(weights.load(weight(n.down()), true), null));
      layers.add(
          new DecoderLayer(
              new RmsNorm(weights.load(n.inputNorm(), false), c.rmsNormEps()),
              attention,
              new RmsNorm(weights.load(n.postAttentionNorm(), false), c.rmsNormEps()),
              mlp));
    }
    RmsNorm norm = new RmsNorm(weights.load(CheckpointLayout.FINAL_NORM, false), c.rmsNormEps());
    NDArray head = tied ? embed : weights.load(CheckpointLayout.LM_HEAD, true);
    return new TextDecoder(embed, layers, norm, head, seeds);
  }

  /** Token embeddings {@code [B, L, hidden]} for ids {@code [B, L]} (int64), in {@code scope}. */
  NDArray embed(NDManager scope, NDArray ids) {
    // torch.embedding: one op (a gather would need a flatten and a reshape around it).
    NDArray embedded =
        ids.getNDArrayInternal().embedding(ids, embedTokens, SparseFormat.DENSE).singletonOrThrow();
    embedded.attach(scope);
    if (row == null) {
      return embedded;
    }
    try (NDManager temps = scope.newSubManager()) {
      NDArray hit = ids.eq(rowToken).expandDims(-1).broadcast(embedded.getShape()); // [B, L, h]
      // The row trains in fp32 beside a half-precision matrix: cast (differentiably) to its type.
      NDArray rows =
          Upcast.to(row, embedded.getDataType()).broadcast(embedded.getShape()); // [B, L, hidden]
      hit.attach(temps);
      rows.attach(scope);
      NDArray out = NDArrays.where(hit, rows, embedded);
      out.attach(scope);
      return out;
    }
  }

  /**
   * Uses {@code value} {@code [hidden]} as the embedding of {@code token} instead of its row in the
   * embedding matrix (and, with tied embeddings, as its row of the LM head): a trainable row beside
   * a frozen matrix. Null restores the matrix row.
   */
  void overrideRow(int token, NDArray value) {
    if (rowColumn != null) {
      rowColumn.close();
      rowColumn = null;
    }
    row = value;
    rowToken = value == null ? -1 : token;
    if (value != null && tied) {
      boolean[] column = new boolean[(int) embedTokens.getShape().get(0)];
      column[token] = true;
      rowColumn = embedTokens.getManager().create(column);
    }
  }

  /**
   * Runs the layers and the final norm; the result is fp32 whatever the weights' type.
   *
   * @param layerOutputs when non-null, receives the input and every layer's output (before the
   *     final norm), as transformers' {@code hidden_states} minus the last entry
   * @param tape when non-null and autograd records (and neither a cache nor layer outputs are asked
   *     for), the layers run as one recomputed chain; without a cache or layer outputs, each layer
   *     runs seeded as {@link LayerSeeds} describes, recomputed or not
   */
  NDArray run(
      NDArray x,
      Rotary rotary,
      NDArray mask,
      KvCache cache,
      List<NDArray> layerOutputs,
      RecomputationTape tape) {
    if (cache == null && layerOutputs == null) {
      List<UnaryOperator<NDArray>> chain = new ArrayList<>();
      for (DecoderLayer layer : layers) {
        chain.add(in -> layer.forward(in, rotary, mask, null));
      }
      RecomputationTape recording = JniUtils.isGradMode() ? tape : null;
      return norm.forwardFp32(seeds.run(x.getManager(), x, chain, recording));
    }
    for (int i = 0; i < layers.size(); i++) {
      if (layerOutputs != null) {
        layerOutputs.add(x);
      }
      x = layers.get(i).forward(x, rotary, mask, cache == null ? null : cache.layer(i));
    }
    return norm.forwardFp32(x);
  }

  /**
   * {@code [..., hidden] → [..., vocab]} in fp32: the product runs in the head's type (as
   * transformers' half-precision lm_head), the logits that choose tokens are fp32.
   */
  NDArray logits(NDArray hidden) {
    NDArray x = Upcast.to(hidden, lmHead.getDataType());
    NDArray logits = Upcast.toFp32(Linear.linear(x, lmHead, null).singletonOrThrow());
    if (rowColumn == null) {
      return logits;
    }
    NDArray rowColumnVector = row.expandDims(1); // [hidden, 1]
    NDArray column = rowColumn.broadcast(logits.getShape()); // [..., vocab]
    rowColumnVector.attach(logits.getManager());
    column.attach(logits.getManager());
    NDArray own = hidden.matMul(rowColumnVector).broadcast(logits.getShape()); // [..., vocab]
    return NDArrays.where(column, own, logits); // [..., vocab]
  }

  int layerCount() {
    return layers.size();
  }
}
