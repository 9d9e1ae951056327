package io.rge.core.qwen25vl;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * The one table of Qwen2.5-VL parameter names and shapes, under the canonical names of the
 * published checkpoints ({@code model.*} for the language model, {@code visual.*} for the vision
 * tower, {@code lm_head.weight} only when embeddings are untied). Shapes follow PyTorch: linear
 * weights are {@code [out, in]}.
 *
 * <p>transformers 5 names the same parameters {@code model.language_model.*} and {@code
 * model.visual.*} in memory (and some checkpoints store them so); {@link #canonicalName} maps them
 * back.
 */
public final class CheckpointLayout {
  public static final String EMBED_TOKENS = "model.embed_tokens.weight";
  public static final String LM_HEAD = "lm_head.weight";

  private static final String V5_TEXT_PREFIX = "model.language_model.";
  private static final String V5_VISION_PREFIX = "model.visual.";

  private CheckpointLayout() {}

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
      String l = "model.layers." + i + ".";
      shapes.put(l + "input_layernorm.weight", dims(hidden));
      shapes.put(l + "post_attention_layernorm.weight", dims(hidden));
      shapes.put(l + "self_attn.q_proj.weight", dims(qWidth, hidden));
      shapes.put(l + "self_attn.q_proj.bias", dims(qWidth));
      shapes.put(l + "self_attn.k_proj.weight", dims(kvWidth, hidden));
      shapes.put(l + "self_attn.k_proj.bias", dims(kvWidth));
      shapes.put(l + "self_attn.v_proj.weight", dims(kvWidth, hidden));
      shapes.put(l + "self_attn.v_proj.bias", dims(kvWidth));
      shapes.put(l + "self_attn.o_proj.weight", dims(hidden, qWidth));
      shapes.put(l + "mlp.gate_proj.weight", dims(inter, hidden));
      shapes.put(l + "mlp.up_proj.weight", dims(inter, hidden));
      shapes.put(l + "mlp.down_proj.weight", dims(hidden, inter));
    }
    shapes.put("model.norm.weight", dims(hidden));
    if (!config.tieWordEmbeddings()) {
      shapes.put(LM_HEAD, dims(t.vocabSize(), hidden));
    }

    VisionConfig v = config.vision();
    long vh = v.hiddenSize();
    long vi = v.intermediateSize();
    long merged = vh * v.mergeUnit();
    shapes.put(
        "visual.patch_embed.proj.weight",
        dims(vh, v.inChannels(), v.temporalPatchSize(), v.patchSize(), v.patchSize()));
    for (int i = 0; i < v.depth(); i++) {
      String b = "visual.blocks." + i + ".";
      shapes.put(b + "norm1.weight", dims(vh));
      shapes.put(b + "norm2.weight", dims(vh));
      shapes.put(b + "attn.qkv.weight", dims(3 * vh, vh));
      shapes.put(b + "attn.qkv.bias", dims(3 * vh));
      shapes.put(b + "attn.proj.weight", dims(vh, vh));
      shapes.put(b + "attn.proj.bias", dims(vh));
      shapes.put(b + "mlp.gate_proj.weight", dims(vi, vh));
      shapes.put(b + "mlp.gate_proj.bias", dims(vi));
      shapes.put(b + "mlp.up_proj.weight", dims(vi, vh));
      shapes.put(b + "mlp.up_proj.bias", dims(vi));
      shapes.put(b + "mlp.down_proj.weight", dims(vh, vi));
      shapes.put(b + "mlp.down_proj.bias", dims(vh));
    }
    shapes.put("visual.merger.ln_q.weight", dims(vh));
    shapes.put("visual.merger.mlp.0.weight", dims(merged, merged));
    shapes.put("visual.merger.mlp.0.bias", dims(merged));
    shapes.put("visual.merger.mlp.2.weight", dims(v.outHiddenSize(), merged));
    shapes.put("visual.merger.mlp.2.bias", dims(v.outHiddenSize()));
    return Collections.unmodifiableMap(shapes);
  }

  /**
   * The canonical name of a checkpoint tensor: {@code model.language_model.X → model.X}, {@code
   * model.visual.X → visual.X}; any other name is returned unchanged.
   */
  public static String canonicalName(String checkpointName) {
    if (checkpointName.startsWith(V5_TEXT_PREFIX)) {
      return "model." + checkpointName.substring(V5_TEXT_PREFIX.length());
    }
    if (checkpointName.startsWith(V5_VISION_PREFIX)) {
      return "visual." + checkpointName.substring(V5_VISION_PREFIX.length());
    }
    return checkpointName;
  }

  private static long[] dims(long... d) {
    return d;
  }
}
