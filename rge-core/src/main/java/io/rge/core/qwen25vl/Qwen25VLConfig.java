package io.rge.core.qwen25vl;

/**
 * Everything the Qwen2.5-VL architecture needs from a checkpoint's {@code config.json}.
 *
 * <p>Built by the config reader from either the flat layout of the published checkpoints or the
 * nested transformers-5 layout; both yield the same record.
 */
public record Qwen25VLConfig(
    TextConfig text, VisionConfig vision, SpecialTokenIds tokens, boolean tieWordEmbeddings) {
  /** The file of a model folder that holds the config. */
  public static final String FILE_NAME = "config.json";

  public Qwen25VLConfig {
    if (text == null || vision == null || tokens == null) {
      throw new IllegalArgumentException("text, vision and token ids are all required");
    }
    if (vision.outHiddenSize() != text.hiddenSize()) {
      throw new IllegalArgumentException(
          "vision_config.out_hidden_size "
              + vision.outHiddenSize()
              + " must equal hidden_size "
              + text.hiddenSize());
    }
    int[] ids = {
      tokens.bos(),
      tokens.eos(),
      tokens.visionStart(),
      tokens.visionEnd(),
      tokens.visionPad(),
      tokens.imagePad(),
      tokens.videoPad()
    };
    for (int id : ids) {
      if (id >= text.vocabSize()) {
        throw new IllegalArgumentException(
            "special token id " + id + " is outside vocab_size " + text.vocabSize());
      }
    }
  }

  public Qwen25VLConfig withVocabSize(int vocabSize) {
    return new Qwen25VLConfig(text.withVocabSize(vocabSize), vision, tokens, tieWordEmbeddings);
  }
}
