package io.rge.core.preset;

import io.rge.core.image.ImageProcessorConfig;
import io.rge.core.prompt.QwenChatPrompts;
import io.rge.core.qwen25vl.Qwen25VLConfig;
import io.rge.core.qwen25vl.SpecialTokenIds;
import io.rge.core.qwen25vl.TextConfig;
import io.rge.core.qwen25vl.VisionConfig;
import io.rge.core.tokenizer.QwenTokenizer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * A tiny Qwen2.5-VL for tests and the quickstart, made without any files: a word-level tokenizer
 * over the given texts plus the words of the chat template, and a small architecture config whose
 * vocabulary and special-token ids are the tokenizer's. Deterministic: the same texts and options
 * give the same tokenizer bytes and config.
 *
 * <pre>{@code
 * TinyPreset preset = TinyPreset.create(List.of("a red circle .", "a blue square"));
 * Qwen25VLConfig config = preset.config();
 * try (QwenTokenizer tokenizer = preset.tokenizer()) { ... }
 * }</pre>
 */
public final class TinyPreset {
  /** Words of the chat template, always in the vocabulary. */
  static final String TEMPLATE_TEXT = "system user assistant " + QwenChatPrompts.SYSTEM_PROMPT;

  private static final double VISION_ROPE_THETA = 10_000.0;
  private static final int TOKENS_PER_SECOND = 2;

  private final TinyOptions options;
  private final WordLevelTokenizerJson tokenizerJson;
  private final Qwen25VLConfig config;

  private TinyPreset(TinyOptions options, WordLevelTokenizerJson tokenizerJson) {
    this.options = options;
    this.tokenizerJson = tokenizerJson;
    this.config = buildConfig(options, tokenizerJson);
  }

  /** A preset with {@link TinyOptions#defaults()}. */
  public static TinyPreset create(Collection<String> texts) {
    return create(texts, TinyOptions.defaults());
  }

  /**
   * @param texts words or sentences; they are split like the tokenizer splits text, so every piece
   *     of them is one token
   */
  public static TinyPreset create(Collection<String> texts, TinyOptions options) {
    List<String> all = new ArrayList<>(texts);
    all.add(TEMPLATE_TEXT);
    return new TinyPreset(options, WordLevelTokenizerJson.of(all));
  }

  public TinyOptions options() {
    return options;
  }

  /** The model config; {@code vocab_size} equals the tokenizer's size. */
  public Qwen25VLConfig config() {
    return config;
  }

  /** Image preprocessing matching the preset's patch geometry (transformers' pixel limits). */
  public ImageProcessorConfig imageProcessorConfig() {
    ImageProcessorConfig d = ImageProcessorConfig.defaults();
    return new ImageProcessorConfig(
        options.patchSize(),
        options.temporalPatchSize(),
        options.spatialMergeSize(),
        d.minPixels(),
        d.maxPixels(),
        d.imageMean(),
        d.imageStd(),
        d.rescaleFactor(),
        true,
        true,
        true,
        true);
  }

  /** The {@code tokenizer.json} text. */
  public String tokenizerJson() {
    return tokenizerJson.json();
  }

  /** Vocabulary size, special tokens included. */
  public int vocabSize() {
    return tokenizerJson.size();
  }

  /** Opens the tokenizer (the caller closes it). */
  public QwenTokenizer tokenizer() throws IOException {
    return QwenTokenizer.fromJson(tokenizerJson.json(), "tiny preset tokenizer");
  }

  /**
   * Writes {@code tokenizer.json} atomically (see {@link QwenTokenizer#save(Path)}); the file loads
   * with {@link QwenTokenizer#load(Path)}.
   */
  public void writeTokenizer(Path file) throws IOException {
    try (QwenTokenizer tokenizer = tokenizer()) {
      tokenizer.save(file);
    }
  }

  private static Qwen25VLConfig buildConfig(TinyOptions o, WordLevelTokenizerJson tok) {
    TextConfig text =
        new TextConfig(
            tok.size(),
            o.hiddenSize(),
            o.intermediateSize(),
            o.numHiddenLayers(),
            o.numAttentionHeads(),
            o.numKeyValueHeads(),
            o.rmsNormEps(),
            o.ropeTheta(),
            o.mropeSection(),
            o.maxPositionEmbeddings(),
            "silu");
    VisionConfig vision =
        new VisionConfig(
            o.visionDepth(),
            o.visionHiddenSize(),
            o.visionIntermediateSize(),
            o.visionNumHeads(),
            3,
            o.hiddenSize(),
            o.patchSize(),
            o.spatialMergeSize(),
            o.temporalPatchSize(),
            o.windowSize(),
            o.fullattBlockIndexes(),
            TOKENS_PER_SECOND,
            "silu",
            VISION_ROPE_THETA);
    // As in Qwen2.5-VL's config.json: bos is <|endoftext|>, eos is <|im_end|>.
    SpecialTokenIds ids =
        new SpecialTokenIds(
            tok.id(QwenTokenizer.ENDOFTEXT),
            tok.id(QwenTokenizer.IM_END),
            tok.id(QwenTokenizer.VISION_START),
            tok.id(QwenTokenizer.VISION_END),
            tok.id("<|vision_pad|>"),
            tok.id(QwenTokenizer.IMAGE_PAD),
            tok.id("<|video_pad|>"));
    return new Qwen25VLConfig(text, vision, ids, o.tieWordEmbeddings());
  }
}
