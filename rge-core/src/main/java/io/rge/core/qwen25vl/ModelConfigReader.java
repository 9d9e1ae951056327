package io.rge.core.qwen25vl;

import static io.rge.core.qwen25vl.ConfigFields.at;
import static io.rge.core.qwen25vl.ConfigFields.first;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.rge.core.qwen25vl.ConfigFields.Field;
import io.rge.core.text.JsonSyntax;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads a Qwen2.5-VL {@code config.json} in either layout Hugging Face uses:
 *
 * <ul>
 *   <li>flat, as in the published checkpoints (e.g. {@code Qwen/Qwen2.5-VL-3B-Instruct}): text
 *       fields at the top level, {@code rope_theta} and {@code rope_scaling: {type: mrope,
 *       mrope_section}} there too, {@code vision_config} nested with {@code in_chans} or {@code
 *       in_channels} and {@code patch_size} or {@code spatial_patch_size};
 *   <li>transformers 5: text fields in {@code text_config} with {@code rope_parameters:
 *       {mrope_section, rope_theta}}, the vision token ids at the top level, and an optional {@code
 *       vision_config.rope_parameters.rope_theta} (default 10000).
 * </ul>
 *
 * <p>Any other {@code model_type}, a missing field, a value of the wrong type or an inconsistent
 * value is a {@link CheckpointException} naming the file and the field.
 */
public final class ModelConfigReader {
  static final String MODEL_TYPE = "qwen2_5_vl";
  static final double DEFAULT_VISION_ROPE_THETA = 10000.0;

  private static final Logger LOG = LoggerFactory.getLogger(ModelConfigReader.class);
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
  private static final long MAX_CONFIG_BYTES = 16L << 20;

  /** Rope types meaning plain rotary frequencies split by {@code mrope_section}. */
  private static final Set<String> MROPE_TYPES = Set.of("mrope", "default");

  private final ConfigFields fields;
  private final JsonNode root;
  private final JsonNode text;
  private final String textPrefix;

  private ModelConfigReader(String source, JsonNode root) {
    this.fields = new ConfigFields(source);
    if (root == null || !root.isObject()) {
      throw fields.error("not a JSON object");
    }
    this.root = root;
    JsonNode nested = root.get("text_config");
    if (nested != null && !nested.isNull()) {
      this.text = fields.object(new Field(nested, "text_config"));
      this.textPrefix = "text_config.";
    } else {
      this.text = root;
      this.textPrefix = "";
    }
  }

  /**
   * Checks a model folder ({@link ModelFolderCheck}) and reads and validates its {@code
   * config.json}.
   */
  public static Qwen25VLConfig readFolder(Path modelDir) throws IOException {
    ModelFolderCheck.check(modelDir);
    return read(modelDir.resolve(Qwen25VLConfig.FILE_NAME));
  }

  /** Reads and validates {@code configJson}. */
  public static Qwen25VLConfig read(Path configJson) throws IOException {
    if (Files.size(configJson) > MAX_CONFIG_BYTES) {
      throw new CheckpointException(
          configJson + ": " + Files.size(configJson) + " bytes, too large");
    }
    JsonNode root;
    try {
      root = JSON.readTree(Files.readAllBytes(configJson));
    } catch (JsonProcessingException e) {
      throw new CheckpointException(JsonSyntax.describe(configJson.toString(), e), e);
    }
    return parse(root, configJson.toString());
  }

  /** Builds the config from parsed JSON; {@code source} names the file in errors. */
  static Qwen25VLConfig parse(JsonNode root, String source) {
    return new ModelConfigReader(source, root).config();
  }

  private Qwen25VLConfig config() {
    String modelType = fields.string(fields.require(at(root, "", "model_type"), "model_type"));
    if (!MODEL_TYPE.equals(modelType)) {
      throw fields.error(
          "field 'model_type' is '" + modelType + "', expected '" + MODEL_TYPE + "' (Qwen2.5-VL)");
    }
    TextConfig textConfig = textConfig();
    VisionConfig visionConfig = visionConfig();
    SpecialTokenIds tokens = tokenIds();
    boolean tied = tieWordEmbeddings();
    return wrap(() -> new Qwen25VLConfig(textConfig, visionConfig, tokens, tied));
  }

  private TextConfig textConfig() {
    int vocab = textInt("vocab_size");
    int hidden = textInt("hidden_size");
    int intermediate = textInt("intermediate_size");
    int layers = textInt("num_hidden_layers");
    int heads = textInt("num_attention_heads");
    int kvHeads = textInt("num_key_value_heads");
    double eps = fields.number(textField("rms_norm_eps"));
    int maxPositions = textInt("max_position_embeddings");
    String act = fields.string(textField("hidden_act"));
    Field headDimField = first(at(text, textPrefix, "head_dim"));
    if (headDimField != null && heads > 0 && fields.integer(headDimField) * heads != hidden) {
      throw fields.error(
          "field '"
              + headDimField.path()
              + "' "
              + fields.integer(headDimField)
              + " differs from hidden_size / num_attention_heads; Qwen2.5-VL derives head_dim");
    }
    Field slidingWindow = first(at(text, textPrefix, "use_sliding_window"));
    if (slidingWindow != null && fields.bool(slidingWindow)) {
      throw fields.error(
          "field '"
              + slidingWindow.path()
              + "' is true; sliding-window attention is not"
              + " implemented (Qwen2.5-VL checkpoints use full attention)");
    }

    Field rope =
        first(
            at(text, textPrefix, "rope_parameters"),
            at(text, textPrefix, "rope_scaling"),
            text == root ? null : at(root, "", "rope_parameters"),
            text == root ? null : at(root, "", "rope_scaling"));
    if (rope == null) {
      throw fields.error(
          "field '"
              + textPrefix
              + "rope_scaling' (or 'rope_parameters') with 'mrope_section' is"
              + " missing");
    }
    JsonNode ropeNode = fields.object(rope);
    for (String key : List.of("type", "rope_type")) {
      Field type = first(at(ropeNode, rope.path() + ".", key));
      if (type != null && !MROPE_TYPES.contains(fields.string(type))) {
        throw fields.error(
            "field '"
                + type.path()
                + "' is '"
                + fields.string(type)
                + "'; only M-RoPE ('mrope' or 'default' with mrope_section) is implemented");
      }
    }
    Field sectionField =
        fields.require(
            at(ropeNode, rope.path() + ".", "mrope_section"), rope.path() + ".mrope_section");
    List<Integer> section = fields.integers(sectionField);
    if (heads > 0 && hidden % heads == 0) {
      int headDim = hidden / heads;
      int sum = section.stream().mapToInt(Integer::intValue).sum();
      if (section.size() != 3 || sum != headDim / 2 || section.stream().anyMatch(s -> s < 0)) {
        throw fields.error(
            "field '"
                + sectionField.path()
                + "' "
                + section
                + " must have 3 non-negative parts summing to head_dim/2 = "
                + headDim / 2
                + " (head_dim = hidden_size / num_attention_heads = "
                + headDim
                + ")");
      }
    }
    Field theta =
        first(
            at(ropeNode, rope.path() + ".", "rope_theta"),
            at(text, textPrefix, "rope_theta"),
            text == root ? null : at(root, "", "rope_theta"));
    double ropeTheta = fields.number(fields.require(theta, textPrefix + "rope_theta"));

    return wrap(
        () ->
            new TextConfig(
                vocab,
                hidden,
                intermediate,
                layers,
                heads,
                kvHeads,
                eps,
                ropeTheta,
                section,
                maxPositions,
                act));
  }

  private VisionConfig visionConfig() {
    Field vf = fields.require(at(root, "", "vision_config"), "vision_config");
    JsonNode v = fields.object(vf);
    String p = "vision_config.";
    int depth = fields.integer(fields.require(at(v, p, "depth"), p + "depth"));
    int hidden = fields.integer(fields.require(at(v, p, "hidden_size"), p + "hidden_size"));
    int intermediate =
        fields.integer(fields.require(at(v, p, "intermediate_size"), p + "intermediate_size"));
    int heads = fields.integer(fields.require(at(v, p, "num_heads"), p + "num_heads"));
    int inChannels = aliasedInt(v, p, "in_channels", "in_chans");
    int outHidden =
        fields.integer(fields.require(at(v, p, "out_hidden_size"), p + "out_hidden_size"));
    int patch = aliasedInt(v, p, "patch_size", "spatial_patch_size");
    int merge =
        fields.integer(fields.require(at(v, p, "spatial_merge_size"), p + "spatial_merge_size"));
    int temporal =
        fields.integer(fields.require(at(v, p, "temporal_patch_size"), p + "temporal_patch_size"));
    int window = fields.integer(fields.require(at(v, p, "window_size"), p + "window_size"));
    List<Integer> fullAttention =
        fields.integers(
            fields.require(at(v, p, "fullatt_block_indexes"), p + "fullatt_block_indexes"));
    int tokensPerSecond =
        fields.integer(fields.require(at(v, p, "tokens_per_second"), p + "tokens_per_second"));
    String act = fields.string(fields.require(at(v, p, "hidden_act"), p + "hidden_act"));
    Field ropeParameters = first(at(v, p, "rope_parameters"));
    Field theta =
        first(
            ropeParameters == null
                ? null
                : at(fields.object(ropeParameters), p + "rope_parameters.", "rope_theta"),
            at(v, p, "rope_theta"));
    double ropeTheta = theta == null ? DEFAULT_VISION_ROPE_THETA : fields.number(theta);
    return wrap(
        () ->
            new VisionConfig(
                depth,
                hidden,
                intermediate,
                heads,
                inChannels,
                outHidden,
                patch,
                merge,
                temporal,
                window,
                fullAttention,
                tokensPerSecond,
                act,
                ropeTheta));
  }

  private SpecialTokenIds tokenIds() {
    int bos = tokenId("bos_token_id");
    int eos = tokenId("eos_token_id");
    int visionStart = tokenId("vision_start_token_id");
    int visionEnd = tokenId("vision_end_token_id");
    int image = tokenId("image_token_id");
    int video = tokenId("video_token_id");
    Field visionPad =
        first(at(root, "", "vision_token_id"), at(text, textPrefix, "vision_token_id"));
    int pad;
    if (visionPad != null) {
      pad = fields.integer(visionPad);
    } else {
      // transformers 5 no longer writes vision_token_id (the model never reads it); in every
      // Qwen2-VL / Qwen2.5-VL vocabulary <|vision_pad|> directly precedes <|image_pad|>.
      pad = image - 1;
      LOG.debug("vision_token_id absent; assuming image_token_id - 1 = {}", pad);
    }
    return wrap(() -> new SpecialTokenIds(bos, eos, visionStart, visionEnd, pad, image, video));
  }

  private boolean tieWordEmbeddings() {
    Field top = first(at(root, "", "tie_word_embeddings"));
    Field nested = text == root ? null : first(at(text, textPrefix, "tie_word_embeddings"));
    if (top != null && nested != null && fields.bool(top) != fields.bool(nested)) {
      throw fields.error("fields 'tie_word_embeddings' and '" + nested.path() + "' disagree");
    }
    Field f = first(top, nested);
    return fields.bool(fields.require(f, "tie_word_embeddings"));
  }

  private int tokenId(String key) {
    Field f = first(at(root, "", key), text == root ? null : at(text, textPrefix, key));
    return fields.integer(fields.require(f, key));
  }

  private Field textField(String key) {
    Field f = first(at(text, textPrefix, key), text == root ? null : at(root, "", key));
    return fields.require(f, textPrefix + key);
  }

  private int textInt(String key) {
    return fields.integer(textField(key));
  }

  private int aliasedInt(JsonNode v, String prefix, String name, String alias) {
    Field a = first(at(v, prefix, name));
    Field b = first(at(v, prefix, alias));
    if (a == null && b == null) {
      throw fields.error("field '" + prefix + name + "' (or '" + prefix + alias + "') is missing");
    }
    if (a != null && b != null && fields.integer(a) != fields.integer(b)) {
      throw fields.error(
          "fields '"
              + a.path()
              + "' "
              + fields.integer(a)
              + " and '"
              + b.path()
              + "' "
              + fields.integer(b)
              + " disagree");
    }
    return fields.integer(a != null ? a : b);
  }

  private interface Construction<T> {
    T build();
  }

  /** Runs a record constructor, naming the file in its consistency errors. */
  private <T> T wrap(Construction<T> construction) {
    try {
      return construction.build();
    } catch (IllegalArgumentException e) {
      throw new CheckpointException(fields.error(e.getMessage()).getMessage(), e);
    }
  }
}
