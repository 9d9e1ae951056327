package io.rge.core.qwen25vl;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * The one table of Qwen2.5-VL parameter names and shapes, under the canonical names of the
 * published checkpoints ({@code model.*} for the language model, {@code visual.*} for the vision
 * tower, {@code lm_head.weight} only when embeddings are untied). Shapes follow PyTorch: linear
 * weights are {@code [out, in]}. {@link ModelWeights} takes every shape from this table, and {@link
 * TextDecoder} and {@link VisionTower} take every name from the records below, so a name exists in
 * one place only.
 *
 * <p>transformers 5 names the same parameters {@code model.language_model.*} and {@code
 * model.visual.*} in memory (and some checkpoints store them so); {@link #canonicalName} maps them
 * back.
 */
public final class CheckpointLayout {
  /** Prefix of every language-model tensor but the LM head, canonical names. */
  public static final String TEXT_PREFIX = "model.";

  /** Prefix of the decoder layers' tensors ({@code model.layers.N.}). */
  public static final String DECODER_LAYER_PREFIX = TEXT_PREFIX + "layers.";

  public static final String EMBED_TOKENS_MODULE = TEXT_PREFIX + "embed_tokens";
  public static final String EMBED_TOKENS = EMBED_TOKENS_MODULE + ".weight";
  public static final String LM_HEAD_MODULE = "lm_head";
  public static final String LM_HEAD = LM_HEAD_MODULE + ".weight";

  /** Prefix of every vision-side tensor (patch embedding, blocks, merger), canonical names. */
  public static final String VISION_PREFIX = "visual.";

  /** Prefix of the vision blocks' tensors ({@code visual.blocks.N.}). */
  public static final String VISION_BLOCK_PREFIX = VISION_PREFIX + "blocks.";

  static final String FINAL_NORM = "model.norm.weight";
  static final String PATCH_EMBED = "visual.patch_embed.proj.weight";
  static final String MERGER_NORM = "visual.merger.ln_q.weight";
  static final String MERGER_FC1 = "visual.merger.mlp.0";
  static final String MERGER_FC2 = "visual.merger.mlp.2";

  private static final String V5_TEXT_PREFIX = "model.language_model.";
  private static final String V5_VISION_PREFIX = "model.visual.";

  private CheckpointLayout() {}

  /** {@code module.weight}. */
  static String weight(String module) {
    return module + ".weight";
  }

  /** {@code module.bias}. */
  static String bias(String module) {
    return module + ".bias";
  }

  /** Module names of the gated MLP under a layer's or block's {@code prefix}. */
  interface MlpNames {
    String prefix();

    default String gate() {
      return prefix() + "mlp.gate_proj";
    }

    default String up() {
      return prefix() + "mlp.up_proj";
    }

    /** The fused gate/up array's own name (not a checkpoint tensor). */
    default String gateUp() {
      return prefix() + "mlp.gate_up_proj";
    }

    default String down() {
      return prefix() + "mlp.down_proj";
    }
  }

  /** Tensor and module names of decoder layer {@code i} ({@code model.layers.i.*}). */
  record DecoderLayerNames(String prefix) implements MlpNames {
    static DecoderLayerNames of(int i) {
      return new DecoderLayerNames(DECODER_LAYER_PREFIX + i + ".");
    }

    String inputNorm() {
      return prefix + "input_layernorm.weight";
    }

    String postAttentionNorm() {
      return prefix + "post_attention_layernorm.weight";
    }

    String q() {
      return prefix + "self_attn.q_proj";
    }

    String k() {
      return prefix + "self_attn.k_proj";
    }

    String v() {
      return prefix + "self_attn.v_proj";
    }

    /** The fused q/k/v array's own name (not a checkpoint tensor). */
    String qkv() {
      return prefix + "self_attn.qkv_proj";
    }

    String o() {
      return prefix + "self_attn.o_proj";
    }
  }

  /** Tensor and module names of vision block {@code i} ({@code visual.blocks.i.*}). */
  record VisionBlockNames(String prefix) implements MlpNames {
    static VisionBlockNames of(int i) {
      return new VisionBlockNames(VISION_BLOCK_PREFIX + i + ".");
    }

    String norm1() {
      return prefix + "norm1.weight";
    }

    String norm2() {
      return prefix + "norm2.weight";
    }

    String qkv() {
      return prefix + "attn.qkv";
    }

    String proj() {
      return prefix + "attn.proj";
    }
  }

  /**
   * Every parameter of the architecture for {@code config}, canonical name → shape, sorted by name.
   * Text ({@code H} hidden, {@code V} vocab, {@code I} intermediate, {@code d} head dim): {@code
   * embed_tokens [V, H]}, per layer {@code q_proj [heads·d, H] + bias}, {@code k_proj, v_proj
   * [kvHeads·d, H] + bias}, {@code o_proj [H, heads·d]}, {@code gate_proj, up_proj [I, H]}, {@code
   * down_proj [H, I]}, two norms {@code [H]}; {@code norm [H]}. Vision ({@code h} hidden, {@code
   * m²·h} merged width): {@code patch_embed.proj [h, C, T, P, P]}, per block {@code qkv [3h, h]},
   * {@code proj [h, h]}, gated MLP with biases, two norms; merger {@code ln_q [h]}, {@code mlp.0
   * [m²h, m²h]}, {@code mlp.2 [out, m²h]}.
   */
  public static Map<String, long[]> expectedShapes(Qwen25VLConfig config) {
    Map<String, long[]> shapes = new TreeMap<>();
    TextConfig t = config.text();
    long hidden = t.hiddenSize();
    long qWidth = (long) t.numAttentionHeads() * t.headDim();
    long kvWidth = (long) t.numKeyValueHeads() * t.headDim();
    long inter = t.intermediateSize();
    shapes.put(EMBED_TOKENS, dims(t.vocabSize(), hidden));
    for (int i = 0; i < t.numHiddenLayers(); i++) {
      DecoderLayerNames l = DecoderLayerNames.of(i);
      shapes.put(l.inputNorm(), dims(hidden));
      shapes.put(l.postAttentionNorm(), dims(hidden));
      linear(shapes, l.q(), qWidth, hidden, true);
      linear(shapes, l.k(), kvWidth, hidden, true);
      linear(shapes, l.v(), kvWidth, hidden, true);
      linear(shapes, l.o(), hidden, qWidth, false);
      linear(shapes, l.gate(), inter, hidden, false);
      linear(shapes, l.up(), inter, hidden, false);
      linear(shapes, l.down(), hidden, inter, false);
    }
    shapes.put(FINAL_NORM, dims(hidden));
    if (!config.tieWordEmbeddings()) {
      shapes.put(LM_HEAD, dims(t.vocabSize(), hidden));
    }

    VisionConfig v = config.vision();
    long vh = v.hiddenSize();
    long vi = v.intermediateSize();
    long merged = vh * v.mergeUnit();
    shapes.put(
        PATCH_EMBED, dims(vh, v.inChannels(), v.temporalPatchSize(), v.patchSize(), v.patchSize()));
    for (int i = 0; i < v.depth(); i++) {
      VisionBlockNames b = VisionBlockNames.of(i);
      shapes.put(b.norm1(), dims(vh));
      shapes.put(b.norm2(), dims(vh));
      linear(shapes, b.qkv(), 3 * vh, vh, true);
      linear(shapes, b.proj(), vh, vh, true);
      linear(shapes, b.gate(), vi, vh, true);
      linear(shapes, b.up(), vi, vh, true);
      linear(shapes, b.down(), vh, vi, true);
    }
    shapes.put(MERGER_NORM, dims(vh));
    linear(shapes, MERGER_FC1, merged, merged, true);
    linear(shapes, MERGER_FC2, v.outHiddenSize(), merged, true);
    return Collections.unmodifiableMap(shapes);
  }

  /**
   * The canonical name of a checkpoint tensor: {@code model.language_model.X → model.X}, {@code
   * model.visual.X → visual.X}; any other name is returned unchanged.
   */
  public static String canonicalName(String checkpointName) {
    if (checkpointName.startsWith(V5_TEXT_PREFIX)) {
      return TEXT_PREFIX + checkpointName.substring(V5_TEXT_PREFIX.length());
    }
    if (checkpointName.startsWith(V5_VISION_PREFIX)) {
      return VISION_PREFIX + checkpointName.substring(V5_VISION_PREFIX.length());
    }
    return checkpointName;
  }

  /**
   * The transformers-5 name of a canonical module or tensor of the model ({@link #canonicalName}'s
   * inverse): {@code model.X → model.language_model.X}, {@code visual.X → model.visual.X}, as PEFT
   * names adapter keys.
   */
  public static String transformers5Name(String canonical) {
    if (canonical.startsWith(VISION_PREFIX)) {
      return V5_VISION_PREFIX + canonical.substring(VISION_PREFIX.length());
    }
    return V5_TEXT_PREFIX + canonical.substring(TEXT_PREFIX.length());
  }

  /** A linear layer's {@code weight [out, in]} and, with a bias, {@code bias [out]}. */
  private static void linear(
      Map<String, long[]> shapes, String module, long out, long in, boolean withBias) {
    shapes.put(weight(module), dims(out, in));
    if (withBias) {
      shapes.put(bias(module), dims(out));
    }
  }

  private static long[] dims(long... d) {
    return d;
  }
}
