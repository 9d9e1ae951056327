package io.rge.core.prompt;

import io.rge.core.image.ImageGrid;
import io.rge.core.tokenizer.QwenTokenizer;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Builds RGE's prompts in the Qwen2.5-VL chat format:
 *
 * <pre>
 * &lt;|im_start|&gt;system\nYou are a helpful assistant.&lt;|im_end|&gt;\n
 * &lt;|im_start|&gt;user\n{user}&lt;|im_end|&gt;\n
 * &lt;|im_start|&gt;assistant\n{answer}
 * </pre>
 *
 * <p>MMEB's image placeholder {@code <|image_1|>} in the user text becomes {@code <|vision_start|>}
 * + {@code <|image_pad|>} × (grid patches / merge²) + {@code <|vision_end|>}. A prompt holds at
 * most one image; an image without a placeholder, or a placeholder without an image, is an error.
 * The whole string is tokenised at once, as transformers does, so BPE merges across the boundaries
 * match. Text fields may not contain the chat's special tokens (they would break the turn structure
 * or the count of image tokens).
 *
 * <p>Three forms: a query for generation (ends after the assistant header), a query with its
 * rationale ({@code {rationale}<emb>}, labelled for the LM loss), and a candidate ({@code <emb>}
 * only).
 */
public final class QwenChatPrompts {
  public static final String SYSTEM_PROMPT = "You are a helpful assistant.";
  public static final String IMAGE_PLACEHOLDER = "<|image_1|>";
  static final String ASSISTANT_HEADER = QwenTokenizer.IM_START + "assistant\n";
  private static final Pattern ANY_IMAGE_PLACEHOLDER = Pattern.compile("<\\|image_(\\d+)\\|>");
  private static final List<String> RESERVED =
      List.of(
          QwenTokenizer.IM_START,
          QwenTokenizer.IM_END,
          QwenTokenizer.ENDOFTEXT,
          QwenTokenizer.VISION_START,
          QwenTokenizer.VISION_END,
          QwenTokenizer.IMAGE_PAD,
          "<|vision_pad|>",
          "<|video_pad|>",
          QwenTokenizer.EMB);

  private final QwenTokenizer tokenizer;
  private final int mergeSize;
  private final int[] assistantHeader;

  /**
   * @param mergeSize the vision merger's window side (2 for Qwen2.5-VL)
   */
  public QwenChatPrompts(QwenTokenizer tokenizer, int mergeSize) {
    if (mergeSize <= 0) {
      throw new IllegalArgumentException("merge size must be > 0, got " + mergeSize);
    }
    this.tokenizer = tokenizer;
    this.mergeSize = mergeSize;
    this.assistantHeader = tokenizer.encode(ASSISTANT_HEADER);
  }

  /**
   * The prompt a query generates its rationale from; {@code labelStart} is its length.
   *
   * @param image the grid of the query's image, or null for a text-only query
   */
  public PromptTokens queryForGeneration(String user, ImageGrid image) {
    return tokens(text(user, image, ""));
  }

  /**
   * A query with its (oracle or generated) rationale followed by {@code <emb>}; the label span is
   * the rationale and {@code <emb>}. A trailing {@code <emb>} in {@code rationale} is accepted and
   * not doubled.
   */
  public PromptTokens queryWithRationale(String user, ImageGrid image, String rationale) {
    String body =
        rationale.endsWith(QwenTokenizer.EMB)
            ? rationale.substring(0, rationale.length() - QwenTokenizer.EMB.length())
            : rationale;
    checkNoReserved("rationale", body);
    return tokens(text(user, image, body + QwenTokenizer.EMB));
  }

  /** A candidate: the answer is {@code <emb>} alone, at {@code labelStart} = length - 1. */
  public PromptTokens candidate(String user, ImageGrid image) {
    return tokens(text(user, image, QwenTokenizer.EMB));
  }

  /**
   * The prompt text: chat template, user turn with the image expanded, then {@code assistantText}
   * after the assistant header.
   */
  public String text(String user, ImageGrid image, String assistantText) {
    checkNoReserved("user text", user);
    Matcher m = ANY_IMAGE_PLACEHOLDER.matcher(user);
    int placeholders = 0;
    while (m.find()) {
      if (!IMAGE_PLACEHOLDER.equals(m.group())) {
        throw new IllegalArgumentException(
            "user text has placeholder "
                + m.group()
                + "; a prompt holds at most one image, "
                + IMAGE_PLACEHOLDER);
      }
      placeholders++;
    }
    if (placeholders > 1) {
      throw new IllegalArgumentException(
          "user text has "
              + placeholders
              + " "
              + IMAGE_PLACEHOLDER
              + " placeholders; a prompt holds at most one image");
    }
    if (image != null && placeholders == 0) {
      throw new IllegalArgumentException(
          "an image was given but the user text has no " + IMAGE_PLACEHOLDER + " placeholder");
    }
    if (image == null && placeholders == 1) {
      throw new IllegalArgumentException(
          "the user text has an " + IMAGE_PLACEHOLDER + " placeholder but no image was given");
    }
    String content = image == null ? user : user.replace(IMAGE_PLACEHOLDER, imageBlock(image));
    return chat(SYSTEM_PROMPT, content, assistantText);
  }

  /**
   * A prompt for generation that may hold several images, under its own system prompt (a teacher
   * model asked about a query and its target, say): the user text marks the images {@code
   * <|image_1|>}, {@code <|image_2|>}, … once each and in that order, which is the order of {@code
   * images} (the order the model reads their blocks in). {@code labelStart} is the prompt's length.
   */
  public PromptTokens generation(String system, String user, List<ImageGrid> images) {
    checkNoReserved("system prompt", system);
    checkNoReserved("user text", user);
    Matcher m = ANY_IMAGE_PLACEHOLDER.matcher(user);
    StringBuilder content = new StringBuilder();
    int next = 0;
    while (m.find()) {
      if (next >= images.size() || !m.group().equals("<|image_" + (next + 1) + "|>")) {
        throw new IllegalArgumentException(
            "user text has "
                + m.group()
                + " where <|image_"
                + (next + 1)
                + "|> was expected: "
                + images.size()
                + " image(s) given, marked once each and in order");
      }
      m.appendReplacement(content, Matcher.quoteReplacement(imageBlock(images.get(next++))));
    }
    m.appendTail(content);
    if (next != images.size()) {
      throw new IllegalArgumentException(
          images.size() + " image(s) given but the user text marks " + next);
    }
    return tokens(chat(system, content.toString(), ""));
  }

  /**
   * {@code <|vision_start|>}, one {@code <|image_pad|>} per merged patch, {@code <|vision_end|>}.
   */
  private String imageBlock(ImageGrid image) {
    return QwenTokenizer.VISION_START
        + QwenTokenizer.IMAGE_PAD.repeat(image.tokens(mergeSize))
        + QwenTokenizer.VISION_END;
  }

  /** The chat template: system turn, user turn, then {@code assistantText} after the header. */
  private static String chat(String system, String content, String assistantText) {
    return QwenTokenizer.IM_START
        + "system\n"
        + system
        + QwenTokenizer.IM_END
        + "\n"
        + QwenTokenizer.IM_START
        + "user\n"
        + content
        + QwenTokenizer.IM_END
        + "\n"
        + ASSISTANT_HEADER
        + assistantText;
  }

  private PromptTokens tokens(String text) {
    int[] ids = tokenizer.encode(text);
    return new PromptTokens(ids, afterLastAssistantHeader(ids));
  }

  /** First position after the last occurrence of the tokens of {@code <|im_start|>assistant\n}. */
  private int afterLastAssistantHeader(int[] ids) {
    int n = assistantHeader.length;
    for (int start = ids.length - n; start >= 0; start--) {
      boolean match = true;
      for (int k = 0; k < n && match; k++) {
        match = ids[start + k] == assistantHeader[k];
      }
      if (match) {
        return start + n;
      }
    }
    throw new IllegalStateException(
        "the tokens of the assistant header were not found in the encoded prompt; the tokenizer "
            + tokenizer.source()
            + " merges them with the answer");
  }

  private static void checkNoReserved(String what, String text) {
    for (String token : RESERVED) {
      if (text.contains(token)) {
        throw new IllegalArgumentException(
            what + " contains the special token " + token + ", which only the template may place");
      }
    }
  }
}
