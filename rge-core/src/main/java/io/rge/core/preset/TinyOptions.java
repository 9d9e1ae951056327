package io.rge.core.preset;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Sizes of a {@link TinyPreset} model. Defaults: text hidden 64, intermediate 128, 3 layers, 4
 * heads, 2 key/value heads, M-RoPE sections [2, 3, 3], rope theta 1e4 (short sequences); vision
 * depth 2, hidden 32, intermediate 64, 2 heads, patch 14, merge 2, temporal patch 2, window 56,
 * full attention in block 1; tied embeddings; seed 42 (for whoever initialises the weights). Change
 * sizes with {@link #builder()}; consistency (heads divide hidden, sections sum to head_dim/2, ...)
 * is checked when the config is built.
 */
public record TinyOptions(
    int hiddenSize,
    int intermediateSize,
    int numHiddenLayers,
    int numAttentionHeads,
    int numKeyValueHeads,
    List<Integer> mropeSection,
    double ropeTheta,
    double rmsNormEps,
    int maxPositionEmbeddings,
    int visionDepth,
    int visionHiddenSize,
    int visionIntermediateSize,
    int visionNumHeads,
    int patchSize,
    int spatialMergeSize,
    int temporalPatchSize,
    int windowSize,
    List<Integer> fullattBlockIndexes,
    boolean tieWordEmbeddings,
    long seed) {

  public TinyOptions {
    mropeSection = List.copyOf(mropeSection);
    fullattBlockIndexes = List.copyOf(fullattBlockIndexes);
  }

  public static TinyOptions defaults() {
    return builder().build();
  }

  /**
   * The sizes a config may change ({@code model.tiny:} of a training config); each absent one keeps
   * its {@link #defaults()} value. {@code mrope_section} must sum to {@code hidden_size /
   * num_attention_heads / 2}.
   */
  @JsonCreator
  public static TinyOptions sizes(
      @JsonProperty("hidden_size") Integer hiddenSize,
      @JsonProperty("intermediate_size") Integer intermediateSize,
      @JsonProperty("num_hidden_layers") Integer numHiddenLayers,
      @JsonProperty("num_attention_heads") Integer numAttentionHeads,
      @JsonProperty("num_key_value_heads") Integer numKeyValueHeads,
      @JsonProperty("mrope_section") List<Integer> mropeSection,
      @JsonProperty("vision_depth") Integer visionDepth,
      @JsonProperty("vision_hidden_size") Integer visionHiddenSize,
      @JsonProperty("vision_intermediate_size") Integer visionIntermediateSize,
      @JsonProperty("vision_num_heads") Integer visionNumHeads,
      @JsonProperty("fullatt_block_indexes") List<Integer> fullattBlockIndexes) {
    TinyOptions d = defaults();
    return d.toBuilder()
        .text(
            or(hiddenSize, d.hiddenSize),
            or(intermediateSize, d.intermediateSize),
            or(numHiddenLayers, d.numHiddenLayers),
            or(numAttentionHeads, d.numAttentionHeads),
            or(numKeyValueHeads, d.numKeyValueHeads),
            mropeSection == null ? d.mropeSection : mropeSection)
        .vision(
            or(visionDepth, d.visionDepth),
            or(visionHiddenSize, d.visionHiddenSize),
            or(visionIntermediateSize, d.visionIntermediateSize),
            or(visionNumHeads, d.visionNumHeads),
            fullattBlockIndexes == null ? d.fullattBlockIndexes : fullattBlockIndexes)
        .build();
  }

  /** The sizes {@link #sizes} reads, as a config writes them. */
  @JsonValue
  public Map<String, Object> configSizes() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("hidden_size", hiddenSize);
    m.put("intermediate_size", intermediateSize);
    m.put("num_hidden_layers", numHiddenLayers);
    m.put("num_attention_heads", numAttentionHeads);
    m.put("num_key_value_heads", numKeyValueHeads);
    m.put("mrope_section", mropeSection);
    m.put("vision_depth", visionDepth);
    m.put("vision_hidden_size", visionHiddenSize);
    m.put("vision_intermediate_size", visionIntermediateSize);
    m.put("vision_num_heads", visionNumHeads);
    m.put("fullatt_block_indexes", fullattBlockIndexes);
    return m;
  }

  private static int or(Integer value, int fallback) {
    return value == null ? fallback : value;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** A builder starting from these options. */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.hiddenSize = hiddenSize;
    b.intermediateSize = intermediateSize;
    b.numHiddenLayers = numHiddenLayers;
    b.numAttentionHeads = numAttentionHeads;
    b.numKeyValueHeads = numKeyValueHeads;
    b.mropeSection = mropeSection;
    b.ropeTheta = ropeTheta;
    b.rmsNormEps = rmsNormEps;
    b.maxPositionEmbeddings = maxPositionEmbeddings;
    b.visionDepth = visionDepth;
    b.visionHiddenSize = visionHiddenSize;
    b.visionIntermediateSize = visionIntermediateSize;
    b.visionNumHeads = visionNumHeads;
    b.patchSize = patchSize;
    b.spatialMergeSize = spatialMergeSize;
    b.temporalPatchSize = temporalPatchSize;
    b.windowSize = windowSize;
    b.fullattBlockIndexes = fullattBlockIndexes;
    b.tieWordEmbeddings = tieWordEmbeddings;
    b.seed = seed;
    return b;
  }

  /** Mutable builder of {@link TinyOptions}. */
  public static final class Builder {
    private int hiddenSize = 64;
    private int intermediateSize = 128;
    private int numHiddenLayers = 3;
    private int numAttentionHeads = 4;
    private int numKeyValueHeads = 2;
    private List<Integer> mropeSection = List.of(2, 3, 3);
    // Not Qwen's 1e6: with head dims this small only the first few frequency pairs would rotate
    // within a short sequence, and a tiny model trained from scratch struggles to attend by
    // position.
    private double ropeTheta = 10_000.0;
    private double rmsNormEps = 1e-6;
    private int maxPositionEmbeddings = 32768;
    private int visionDepth = 2;
    private int visionHiddenSize = 32;
    private int visionIntermediateSize = 64;
    private int visionNumHeads = 2;
    private int patchSize = 14;
    private int spatialMergeSize = 2;
    private int temporalPatchSize = 2;
    private int windowSize = 56;
    private List<Integer> fullattBlockIndexes = List.of(1);
    private boolean tieWordEmbeddings = true;
    private long seed = 42;

    private Builder() {}

    /** Text decoder sizes; {@code mropeSection} must sum to (hidden / heads) / 2. */
    public Builder text(
        int hiddenSize,
        int intermediateSize,
        int numHiddenLayers,
        int numAttentionHeads,
        int numKeyValueHeads,
        List<Integer> mropeSection) {
      this.hiddenSize = hiddenSize;
      this.intermediateSize = intermediateSize;
      this.numHiddenLayers = numHiddenLayers;
      this.numAttentionHeads = numAttentionHeads;
      this.numKeyValueHeads = numKeyValueHeads;
      this.mropeSection = mropeSection;
      return this;
    }

    /** Vision tower sizes; blocks in {@code fullattBlockIndexes} attend globally. */
    public Builder vision(
        int depth,
        int hiddenSize,
        int intermediateSize,
        int numHeads,
        List<Integer> fullattBlockIndexes) {
      this.visionDepth = depth;
      this.visionHiddenSize = hiddenSize;
      this.visionIntermediateSize = intermediateSize;
      this.visionNumHeads = numHeads;
      this.fullattBlockIndexes = fullattBlockIndexes;
      return this;
    }

    /** Patch geometry; {@code windowSize} (pixels) must be a multiple of patch × merge. */
    public Builder patches(
        int patchSize, int spatialMergeSize, int temporalPatchSize, int windowSize) {
      this.patchSize = patchSize;
      this.spatialMergeSize = spatialMergeSize;
      this.temporalPatchSize = temporalPatchSize;
      this.windowSize = windowSize;
      return this;
    }

    public Builder ropeTheta(double ropeTheta) {
      this.ropeTheta = ropeTheta;
      return this;
    }

    public Builder rmsNormEps(double rmsNormEps) {
      this.rmsNormEps = rmsNormEps;
      return this;
    }

    public Builder maxPositionEmbeddings(int maxPositionEmbeddings) {
      this.maxPositionEmbeddings = maxPositionEmbeddings;
      return this;
    }

    public Builder tieWordEmbeddings(boolean tieWordEmbeddings) {
      this.tieWordEmbeddings = tieWordEmbeddings;
      return this;
    }

    public Builder seed(long seed) {
      this.seed = seed;
      return this;
    }

    public TinyOptions build() {
      return new TinyOptions(
          hiddenSize,
          intermediateSize,
          numHiddenLayers,
          numAttentionHeads,
          numKeyValueHeads,
          mropeSection,
          ropeTheta,
          rmsNormEps,
          maxPositionEmbeddings,
          visionDepth,
          visionHiddenSize,
          visionIntermediateSize,
          visionNumHeads,
          patchSize,
          spatialMergeSize,
          temporalPatchSize,
          windowSize,
          fullattBlockIndexes,
          tieWordEmbeddings,
          seed);
    }
  }
}
