package io.rge.core.qwen25vl;

/**
 * Token ids the architecture itself depends on, as declared in {@code config.json}. The id of
 * {@code <emb>} is not here: it belongs to the tokenizer (see the tokenizer package).
 */
public record SpecialTokenIds(
    int bos, int eos, int visionStart, int visionEnd, int visionPad, int imagePad, int videoPad) {

  public SpecialTokenIds {
    ConfigChecks.nonNegative("bos_token_id", bos);
    ConfigChecks.nonNegative("eos_token_id", eos);
    ConfigChecks.nonNegative("vision_start_token_id", visionStart);
    ConfigChecks.nonNegative("vision_end_token_id", visionEnd);
    ConfigChecks.nonNegative("vision_token_id", visionPad);
    ConfigChecks.nonNegative("image_token_id", imagePad);
    ConfigChecks.nonNegative("video_token_id", videoPad);
  }
}
