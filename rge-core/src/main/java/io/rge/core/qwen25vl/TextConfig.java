package io.rge.core.qwen25vl;

import java.util.List;

/**
 * The language decoder's hyper-parameters (Hugging Face {@code Qwen2_5_VLTextConfig}).
 *
 * <p>{@code mropeSection} splits the rotary frequencies (head_dim / 2 of them) into the temporal,
 * height and width parts of M-RoPE, e.g. {@code [16, 24, 24]} for head_dim 128.
 */
public record TextConfig(
    int vocabSize,
    int hiddenSize,
    int intermediateSize,
    int numHiddenLayers,
    int numAttentionHeads,
    int numKeyValueHeads,
    double rmsNormEps,
    double ropeTheta,
    List<Integer> mropeSection,
    int maxPositionEmbeddings,
    String hiddenAct) {

  public TextConfig {
    mropeSection = List.copyOf(mropeSection);
    ConfigChecks.positive("vocab_size", vocabSize);
    ConfigChecks.positive("hidden_size", hiddenSize);
    ConfigChecks.positive("intermediate_size", intermediateSize);
    ConfigChecks.positive("num_hidden_layers", numHiddenLayers);
    ConfigChecks.positive("num_attention_heads", numAttentionHeads);
    ConfigChecks.positive("num_key_value_heads", numKeyValueHeads);
    ConfigChecks.positive("max_position_embeddings", maxPositionEmbeddings);
    if (hiddenSize % numAttentionHeads != 0) {
      throw new IllegalArgumentException(
          "hidden_size "
              + hiddenSize
              + " is not divisible by num_attention_heads "
              + numAttentionHeads);
    }
    if (numAttentionHeads % numKeyValueHeads != 0) {
      throw new IllegalArgumentException(
          "num_attention_heads "
              + numAttentionHeads
              + " is not divisible by num_key_value_heads "
              + numKeyValueHeads);
    }
    int headDim = hiddenSize / numAttentionHeads;
    if (headDim % 2 != 0) {
      throw new IllegalArgumentException(
          "head_dim " + headDim + " must be even for rotary embedding");
    }
    if (mropeSection.size() != 3
        || mropeSection.stream().mapToInt(Integer::intValue).sum() != headDim / 2) {
      throw new IllegalArgumentException(
          "mrope_section "
              + mropeSection
              + " must have 3 parts summing to head_dim/2 = "
              + headDim / 2);
    }
    if (!(rmsNormEps > 0)) {
      throw new IllegalArgumentException("rms_norm_eps must be > 0, got " + rmsNormEps);
    }
    if (!(ropeTheta > 0)) {
      throw new IllegalArgumentException("rope_theta must be > 0, got " + ropeTheta);
    }
    ConfigChecks.silu("hidden_act", hiddenAct);
  }

  public int headDim() {
    return hiddenSize / numAttentionHeads;
  }

  /** Query heads that share one key/value head (grouped-query attention). */
  public int groupSize() {
    return numAttentionHeads / numKeyValueHeads;
  }

  public TextConfig withVocabSize(int newVocabSize) {
    return new TextConfig(
        newVocabSize,
        hiddenSize,
        intermediateSize,
        numHiddenLayers,
        numAttentionHeads,
        numKeyValueHeads,
        rmsNormEps,
        ropeTheta,
        mropeSection,
        maxPositionEmbeddings,
        hiddenAct);
  }
}
