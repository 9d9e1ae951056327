package io.rge.core.tokenizer;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rge.core.DjlEngine;
import io.rge.core.files.AtomicFiles;
import io.rge.core.text.JsonSyntax;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Qwen2 / Qwen2.5-VL tokenizer ({@code tokenizer.json}) on DJL's Hugging Face tokenizer,
 * configured as RGE needs it: no special tokens added around the text (the chat template writes
 * them), no truncation (DJL truncates at 512 tokens by default) and no padding.
 *
 * <p>The RGE token {@code <emb>} always exists: when the file lacks it, it is added as a special
 * token with the next free id ({@link #embAdded()} tells), and {@link #save(Path)} writes the
 * edited JSON so a saved checkpoint carries it. The file the tokenizer was read from is never
 * modified. Token ids are {@code int}s everywhere.
 *
 * <p>Encoding is thread-safe (the native tokenizer is immutable after loading); close it once.
 */
public final class QwenTokenizer implements AutoCloseable {
  public static final String FILE_NAME = "tokenizer.json";
  public static final String EMB = "<emb>";
  public static final String ENDOFTEXT = "<|endoftext|>";
  public static final String IM_START = "<|im_start|>";
  public static final String IM_END = "<|im_end|>";
  public static final String VISION_START = "<|vision_start|>";
  public static final String VISION_END = "<|vision_end|>";
  public static final String IMAGE_PAD = "<|image_pad|>";

  private static final Logger LOG = LoggerFactory.getLogger(QwenTokenizer.class);
  private static final ObjectMapper JSON =
      new ObjectMapper()
          .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
          .configure(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES, false);
  private static final DefaultIndenter LF = new DefaultIndenter("  ", "\n");

  private final String source;
  private final String json;
  private final boolean embAdded;
  private final Map<String, Integer> ids;
  private final int size;
  private final HuggingFaceTokenizer tokenizer;
  private final int emb;
  private final int pad;
  private final int imStart;
  private final int imEnd;
  private final int visionStart;
  private final int visionEnd;
  private final int imagePad;

  private QwenTokenizer(String source, String json, boolean embAdded, Vocabulary vocabulary)
      throws IOException {
    this.source = source;
    this.json = json;
    this.embAdded = embAdded;
    this.ids = vocabulary.ids();
    this.size = vocabulary.size();
    this.emb = id(EMB);
    this.pad = id(ENDOFTEXT);
    this.imStart = id(IM_START);
    this.imEnd = id(IM_END);
    this.visionStart = id(VISION_START);
    this.visionEnd = id(VISION_END);
    this.imagePad = id(IMAGE_PAD);
    DjlEngine.prepareOffline();
    try {
      this.tokenizer =
          HuggingFaceTokenizer.newInstance(
              new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)),
              Map.of("addSpecialTokens", "false", "truncation", "false", "padding", "false"));
    } catch (RuntimeException e) {
      // The native library reports a well-formed JSON that is no tokenizer as a runtime error.
      throw new IllegalArgumentException(
          source + " is not a Hugging Face tokenizer.json the tokenizers library accepts: " + e, e);
    }
  }

  /**
   * Loads {@code tokenizer.json} from a file or a model folder.
   *
   * @throws IllegalArgumentException if the JSON is malformed or a Qwen special token is missing
   */
  public static QwenTokenizer load(Path fileOrFolder) throws IOException {
    Path file = Files.isDirectory(fileOrFolder) ? fileOrFolder.resolve(FILE_NAME) : fileOrFolder;
    if (!Files.isRegularFile(file)) {
      throw new NoSuchFileException(file.toString(), null, "tokenizer.json not found");
    }
    return fromJson(Files.readString(file, StandardCharsets.UTF_8), file.toString());
  }

  /** Builds a tokenizer from the text of a {@code tokenizer.json}; {@code source} names it. */
  public static QwenTokenizer fromJson(String json, String source) throws IOException {
    JsonNode root;
    try {
      root = JSON.readTree(json);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(JsonSyntax.describe(source, e), e);
    }
    if (root == null || !root.isObject()) {
      throw new IllegalArgumentException(source + " must hold a JSON object");
    }
    Vocabulary vocabulary = Vocabulary.of(root, source);
    ArrayNode added = addedTokens((ObjectNode) root);
    for (JsonNode t : added) {
      if (EMB.equals(t.path("content").asText())) {
        return new QwenTokenizer(source, json, false, vocabulary);
      }
    }
    // Absent, or only an ordinary vocabulary entry (which the model would split into pieces when
    // it appears in text): declare it as an added special token, keeping an existing id.
    Integer existing = vocabulary.ids().get(EMB);
    int embId = existing != null ? existing : vocabulary.size();
    ObjectNode token = JSON.createObjectNode();
    token.put("id", embId);
    token.put("content", EMB);
    token.put("single_word", false);
    token.put("lstrip", false);
    token.put("rstrip", false);
    token.put("normalized", false);
    token.put("special", true);
    added.add(token);
    ((ObjectNode) root).set("added_tokens", added);
    LOG.info("{} has no {} token; added it as special token id {}", source, EMB, embId);
    return new QwenTokenizer(
        source,
        JSON.writer(new DefaultPrettyPrinter().withObjectIndenter(LF).withArrayIndenter(LF))
            .writeValueAsString(root),
        true,
        Vocabulary.of(root, source));
  }

  private static ArrayNode addedTokens(ObjectNode root) {
    JsonNode existing = root.get("added_tokens");
    return existing instanceof ArrayNode a ? a.deepCopy() : JSON.createArrayNode();
  }

  /** Token ids of {@code text}, special tokens written in the text included, nothing added. */
  public int[] encode(String text) {
    return toInts(tokenizer.encode(text, false, false).getIds());
  }

  /** The text of {@code ids}; special tokens are left out when {@code skipSpecialTokens}. */
  public String decode(int[] ids, boolean skipSpecialTokens) {
    // Models pad their embedding past the tokenizer (Qwen: 151,936 rows for 151,665 tokens), so a
    // generated id may have no text; like transformers, such ids decode to nothing.
    long[] wide = new long[ids.length];
    int n = 0;
    for (int id : ids) {
      if (id < 0) {
        throw new IllegalArgumentException("token id " + id + " is negative");
      }
      if (id < size) {
        wide[n++] = id;
      }
    }
    return tokenizer.decode(java.util.Arrays.copyOf(wide, n), skipSpecialTokens);
  }

  /**
   * The id of one token of the vocabulary (model vocabulary or added tokens).
   *
   * @throws IllegalArgumentException naming the token when the tokenizer does not have it
   */
  public int id(String token) {
    Integer id = ids.get(token);
    if (id == null) {
      throw new IllegalArgumentException(
          "token '" + token + "' is not in the vocabulary of " + source);
    }
    return id;
  }

  /** Whether the vocabulary has {@code token} as a single token. */
  public boolean contains(String token) {
    return ids.containsKey(token);
  }

  /**
   * Total vocabulary size including added tokens: the largest id + 1. A model's embedding needs at
   * least this many rows.
   */
  public int size() {
    return size;
  }

  /**
   * Checks that every token fits a model of {@code vocabSize} embedding rows ({@code config.json}'s
   * {@code vocab_size}, read from {@code configFile}), before any row is allocated: every id must
   * be below it, except {@code <emb>}, which may take the one row past it that the loader adds. An
   * id beyond would grow the embedding to its size (an id of 2·10^7 costs gigabytes).
   *
   * @throws IllegalArgumentException naming this tokenizer's file, the token with the largest
   *     offending id, that id and the config's size
   */
  public void requireFits(int vocabSize, Path configFile) {
    String worst = null;
    int worstId = -1;
    for (Map.Entry<String, Integer> e : ids.entrySet()) {
      int id = e.getValue();
      boolean embRow = id == vocabSize && EMB.equals(e.getKey());
      if (id >= vocabSize && !embRow && id > worstId) {
        worst = e.getKey();
        worstId = id;
      }
    }
    if (worst != null) {
      throw new IllegalArgumentException(
          source
              + ": token '"
              + worst
              + "' has id "
              + worstId
              + ", beyond the model's vocabulary ("
              + configFile
              + ": vocab_size "
              + vocabSize
              + "); ids must be below vocab_size (only "
              + EMB
              + " may take id "
              + vocabSize
              + "): use the tokenizer of this model");
    }
  }

  /**
   * Whether {@code <emb>} was missing from the file's added tokens and was added here (with the
   * next free id, or its id in the model vocabulary if it had one there).
   */
  public boolean embAdded() {
    return embAdded;
  }

  public int embId() {
    return emb;
  }

  /** {@code <|endoftext|>}, Qwen's padding token. */
  public int padId() {
    return pad;
  }

  public int imStartId() {
    return imStart;
  }

  public int imEndId() {
    return imEnd;
  }

  public int visionStartId() {
    return visionStart;
  }

  public int visionEndId() {
    return visionEnd;
  }

  public int imagePadId() {
    return imagePad;
  }

  /** Where the tokenizer came from (a path, or a name given to {@link #fromJson}). */
  public String source() {
    return source;
  }

  /** The {@code tokenizer.json} text in use: the original, or the edited one with {@code <emb>}. */
  public String json() {
    return json;
  }

  /**
   * Writes the {@code tokenizer.json} in use to {@code file}, atomically: a temporary file in the
   * same folder renamed over the target, so a crash never leaves a partial file.
   */
  public void save(Path file) throws IOException {
    AtomicFiles.write(file, json.getBytes(StandardCharsets.UTF_8));
  }

  @Override
  public void close() {
    tokenizer.close();
  }

  private static int[] toInts(long[] ids) {
    int[] out = new int[ids.length];
    for (int i = 0; i < ids.length; i++) {
      out[i] = Math.toIntExact(ids[i]);
    }
    return out;
  }

  /** Token → id over the model vocabulary and the added tokens, and the size they span. */
  private record Vocabulary(Map<String, Integer> ids, int size) {

    static Vocabulary of(JsonNode root, String source) {
      Map<String, Integer> ids = new HashMap<>();
      JsonNode model = root.get("model");
      if (model == null || !model.isObject()) {
        throw new IllegalArgumentException(source + ": missing object 'model'");
      }
      JsonNode vocab = model.get("vocab");
      if (vocab != null && vocab.isObject()) {
        // BPE, WordLevel, WordPiece: {"token": id, ...}
        for (var e : vocab.properties()) {
          JsonNode id = e.getValue();
          if (!id.isIntegralNumber() || !id.canConvertToInt() || id.asInt() < 0) {
            throw new IllegalArgumentException(
                source
                    + ": model.vocab entry '"
                    + e.getKey()
                    + "' has an invalid id "
                    + e.getValue());
          }
          ids.put(e.getKey(), id.asInt());
        }
      } else if (vocab != null && vocab.isArray()) {
        // Unigram: [["piece", score], ...], id = position
        for (int i = 0; i < vocab.size(); i++) {
          ids.put(vocab.get(i).path(0).asText(), i);
        }
      } else {
        throw new IllegalArgumentException(
            source
                + ": model.vocab is missing (model type "
                + model.path("type").asText("?")
                + ")");
      }
      JsonNode added = root.get("added_tokens");
      if (added != null && added.isArray()) {
        for (JsonNode t : added) {
          JsonNode id = t.get("id");
          JsonNode content = t.get("content");
          if (id == null
              || !id.isIntegralNumber()
              || !id.canConvertToInt()
              || id.asInt() < 0
              || content == null) {
            throw new IllegalArgumentException(
                source
                    + ": added_tokens entry "
                    + t
                    + " needs a non-negative 'id' and a 'content'");
          }
          ids.put(content.asText(), id.asInt());
        }
      }
      int max = -1;
      for (int id : ids.values()) {
        max = Math.max(max, id);
      }
      return new Vocabulary(Map.copyOf(ids), max + 1);
    }
  }
}
