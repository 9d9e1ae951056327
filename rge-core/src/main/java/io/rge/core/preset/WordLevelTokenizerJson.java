package io.rge.core.preset;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rge.core.tokenizer.QwenTokenizer;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Hugging Face {@code tokenizer.json} with a word-level model: the text is split like the {@code
 * Whitespace} pre-tokenizer ({@code \w+|[^\w\s]+}), each piece is one token or {@code <unk>}, and
 * decoding joins tokens with single spaces (no decoder). Ids: {@code <unk>} 0, the words in sorted
 * order, then Qwen's special tokens and {@code <emb>} as special added tokens. The same words
 * always give the same bytes.
 */
final class WordLevelTokenizerJson {
  static final String UNK = "<unk>";

  /** Qwen2's special tokens in their vocabulary order, then RGE's {@code <emb>}. */
  static final List<String> SPECIALS =
      List.of(
          QwenTokenizer.ENDOFTEXT,
          QwenTokenizer.IM_START,
          QwenTokenizer.IM_END,
          QwenTokenizer.VISION_START,
          QwenTokenizer.VISION_END,
          "<|vision_pad|>",
          QwenTokenizer.IMAGE_PAD,
          "<|video_pad|>",
          QwenTokenizer.EMB);

  /** HF's {@code Whitespace} pattern; Rust's {@code \w} and {@code \s} are Unicode-aware. */
  private static final Pattern PIECES =
      Pattern.compile("\\w+|[^\\w\\s]+", Pattern.UNICODE_CHARACTER_CLASS);

  private static final ObjectMapper JSON = new ObjectMapper();

  private final Map<String, Integer> ids;
  private final String json;

  private WordLevelTokenizerJson(Map<String, Integer> ids, String json) {
    this.ids = ids;
    this.json = json;
  }

  /** Splits {@code texts} into pieces and builds the tokenizer over their distinct pieces. */
  static WordLevelTokenizerJson of(Collection<String> texts) {
    SortedSet<String> words = new TreeSet<>();
    for (String text : texts) {
      words.addAll(pieces(text));
    }
    words.remove(UNK);
    SPECIALS.forEach(words::remove);

    Map<String, Integer> ids = new LinkedHashMap<>();
    ids.put(UNK, 0);
    for (String w : words) {
      ids.put(w, ids.size());
    }
    ObjectNode vocab = JSON.createObjectNode();
    ids.forEach(vocab::put);

    ArrayNode added = JSON.createArrayNode();
    added.add(addedToken(0, UNK));
    for (String s : SPECIALS) {
      int id = ids.size();
      ids.put(s, id);
      added.add(addedToken(id, s));
    }

    ObjectNode root = JSON.createObjectNode();
    root.put("version", "1.0");
    root.putNull("truncation");
    root.putNull("padding");
    root.set("added_tokens", added);
    root.putNull("normalizer");
    root.putObject("pre_tokenizer").put("type", "Whitespace");
    root.putNull("post_processor");
    root.putNull("decoder");
    ObjectNode model = root.putObject("model");
    model.put("type", "WordLevel");
    model.set("vocab", vocab);
    model.put("unk_token", UNK);
    return new WordLevelTokenizerJson(Collections.unmodifiableMap(ids), write(root));
  }

  /** The pieces the pre-tokenizer cuts {@code text} into. */
  static List<String> pieces(String text) {
    Matcher m = PIECES.matcher(text);
    List<String> out = new ArrayList<>();
    while (m.find()) {
      out.add(m.group());
    }
    return out;
  }

  Map<String, Integer> ids() {
    return ids;
  }

  int id(String token) {
    Integer id = ids.get(token);
    if (id == null) {
      throw new IllegalArgumentException("token '" + token + "' is not in the tiny vocabulary");
    }
    return id;
  }

  /** Vocabulary size including the special tokens. */
  int size() {
    return ids.size();
  }

  String json() {
    return json;
  }

  private static ObjectNode addedToken(int id, String content) {
    ObjectNode t = JSON.createObjectNode();
    t.put("id", id);
    t.put("content", content);
    t.put("single_word", false);
    t.put("lstrip", false);
    t.put("rstrip", false);
    t.put("normalized", false);
    t.put("special", true);
    return t;
  }

  private static String write(ObjectNode root) {
    // Fixed indentation and "\n" line ends, whatever the platform, so the bytes never vary.
    DefaultIndenter indenter = new DefaultIndenter("  ", "\n");
    DefaultPrettyPrinter printer =
        new DefaultPrettyPrinter().withObjectIndenter(indenter).withArrayIndenter(indenter);
    try {
      return JSON.writer(printer).writeValueAsString(root) + "\n";
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot serialise a tree built in memory", e);
    }
  }
}
