package io.rge.core.image;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.rge.core.text.JsonSyntax;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Settings of Qwen2-VL's image processor, as in a checkpoint's {@code preprocessor_config.json}.
 *
 * <p>Absent fields take transformers 5's {@code Qwen2VLImageProcessor} defaults: patch 14, temporal
 * patch 2, merge 2, min 3136 and max 1003520 (28·28·1280) pixels, CLIP mean and std, rescale 1/255,
 * every step on. Only bicubic resampling ({@code resample} 3) is implemented.
 */
public record ImageProcessorConfig(
    int patchSize,
    int temporalPatchSize,
    int mergeSize,
    long minPixels,
    long maxPixels,
    List<Double> imageMean,
    List<Double> imageStd,
    double rescaleFactor,
    boolean doResize,
    boolean doRescale,
    boolean doNormalize,
    boolean doConvertRgb) {

  public static final String FILE_NAME = "preprocessor_config.json";
  public static final List<Double> CLIP_MEAN = List.of(0.48145466, 0.4578275, 0.40821073);
  public static final List<Double> CLIP_STD = List.of(0.26862954, 0.26130258, 0.27577711);
  public static final long DEFAULT_MIN_PIXELS = 56 * 56;
  public static final long DEFAULT_MAX_PIXELS = 28 * 28 * 1280;

  /**
   * The largest image the processor may be asked to produce (8192 × 8192): its patches take 24
   * bytes a pixel, so a larger {@code max_pixels} (or {@code min_pixels}) is a broken config, not a
   * wish for detail.
   */
  public static final long LARGEST_PIXELS = 8192L * 8192L;

  private static final int BICUBIC = 3;

  public ImageProcessorConfig {
    imageMean = List.copyOf(imageMean);
    imageStd = List.copyOf(imageStd);
    positive("patch_size", patchSize);
    positive("temporal_patch_size", temporalPatchSize);
    positive("merge_size", mergeSize);
    if (maxPixels > LARGEST_PIXELS) {
      throw new IllegalArgumentException(
          "max_pixels " + maxPixels + " is over the largest processed image, " + LARGEST_PIXELS);
    }
    if (minPixels <= 0 || maxPixels < minPixels) {
      throw new IllegalArgumentException(
          "min_pixels/max_pixels must satisfy 0 < min <= max, got "
              + minPixels
              + " and "
              + maxPixels);
    }
    if (imageMean.size() != 3 || imageStd.size() != 3) {
      throw new IllegalArgumentException(
          "image_mean and image_std need 3 values (RGB), got " + imageMean + " and " + imageStd);
    }
    for (double s : imageStd) {
      if (!(s > 0)) {
        throw new IllegalArgumentException("image_std values must be > 0, got " + imageStd);
      }
    }
    if (!(rescaleFactor > 0)) {
      throw new IllegalArgumentException("rescale_factor must be > 0, got " + rescaleFactor);
    }
  }

  /** transformers' defaults. */
  public static ImageProcessorConfig defaults() {
    return new ImageProcessorConfig(
        14,
        2,
        2,
        DEFAULT_MIN_PIXELS,
        DEFAULT_MAX_PIXELS,
        CLIP_MEAN,
        CLIP_STD,
        1.0 / 255,
        true,
        true,
        true,
        true);
  }

  /**
   * This config as a {@code preprocessor_config.json} that both {@link #parse} and transformers'
   * {@code Qwen2VLImageProcessor} read.
   */
  public String toJson() {
    com.fasterxml.jackson.databind.node.ObjectNode root = new ObjectMapper().createObjectNode();
    root.put("image_processor_type", "Qwen2VLImageProcessor");
    root.put("processor_class", "Qwen2_5_VLProcessor");
    root.put("patch_size", patchSize);
    root.put("temporal_patch_size", temporalPatchSize);
    root.put("merge_size", mergeSize);
    root.put("min_pixels", minPixels);
    root.put("max_pixels", maxPixels);
    root.putObject("size").put("shortest_edge", minPixels).put("longest_edge", maxPixels);
    imageMean.forEach(root.putArray("image_mean")::add);
    imageStd.forEach(root.putArray("image_std")::add);
    root.put("rescale_factor", rescaleFactor);
    root.put("do_resize", doResize);
    root.put("do_rescale", doRescale);
    root.put("do_normalize", doNormalize);
    root.put("do_convert_rgb", doConvertRgb);
    root.put("resample", BICUBIC);
    return root.toPrettyString();
  }

  /**
   * The most pixels an image keeps after this processor ({@code max_pixels}), or 0 when it is not
   * resized: what a decoder may subsample a larger image down to.
   */
  public long decodeTarget() {
    return doResize ? maxPixels : 0;
  }

  /** Side of the square every resized side is a multiple of: patch × merge (28). */
  public int factor() {
    return patchSize * mergeSize;
  }

  /** Length of one flattened patch: 3 × temporal patch × patch × patch (1176). */
  public int patchVectorSize() {
    return 3 * temporalPatchSize * patchSize * patchSize;
  }

  /**
   * Reads {@code preprocessor_config.json} from a file, or from a model folder (falling back to
   * {@link #defaults()} when the folder has none).
   */
  public static ImageProcessorConfig read(Path fileOrFolder) throws IOException {
    Path file = fileOrFolder;
    if (Files.isDirectory(fileOrFolder)) {
      file = fileOrFolder.resolve(FILE_NAME);
      if (!Files.exists(file)) {
        return defaults();
      }
    } else if (!Files.exists(file)) {
      throw new NoSuchFileException(file.toString(), null, "image processor config not found");
    }
    return parse(Files.readString(file), file.toString());
  }

  /**
   * Parses the JSON text of a {@code preprocessor_config.json}; {@code source} names it in errors.
   * Pixel limits come from {@code min_pixels}/{@code max_pixels} when present and not null, else
   * from {@code size.shortest_edge}/{@code size.longest_edge} (transformers 5) or {@code
   * size.min_pixels}/{@code size.max_pixels} (older files).
   */
  public static ImageProcessorConfig parse(String json, String source) {
    JsonNode root;
    try {
      root = new ObjectMapper().readTree(json);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(JsonSyntax.describe(source, e), e);
    }
    if (root == null || !root.isObject()) {
      throw new IllegalArgumentException(source + " must hold a JSON object");
    }
    ImageProcessorConfig d = defaults();
    JsonNode size = root.path("size");
    long min =
        firstLong(
            source,
            d.minPixels(),
            field(root, "", "min_pixels"),
            field(size, "size.", "shortest_edge"),
            field(size, "size.", "min_pixels"));
    long max =
        firstLong(
            source,
            d.maxPixels(),
            field(root, "", "max_pixels"),
            field(size, "size.", "longest_edge"),
            field(size, "size.", "max_pixels"));
    JsonNode resample = root.get("resample");
    if (resample != null && !resample.isNull() && resample.asInt(-1) != BICUBIC) {
      throw new IllegalArgumentException(
          source + ": resample " + resample + " is not supported; only 3 (bicubic) is implemented");
    }
    try {
      return new ImageProcessorConfig(
          intField(root, "patch_size", d.patchSize(), source),
          intField(root, "temporal_patch_size", d.temporalPatchSize(), source),
          intField(root, "merge_size", d.mergeSize(), source),
          min,
          max,
          doubles(root, "image_mean", d.imageMean(), source),
          doubles(root, "image_std", d.imageStd(), source),
          doubleField(root, "rescale_factor", d.rescaleFactor(), source),
          boolField(root, "do_resize", true, source),
          boolField(root, "do_rescale", true, source),
          boolField(root, "do_normalize", true, source),
          boolField(root, "do_convert_rgb", true, source));
    } catch (IllegalArgumentException e) {
      if (e.getMessage().startsWith(source)) {
        throw e;
      }
      throw new IllegalArgumentException(source + ": " + e.getMessage(), e);
    }
  }

  private record Field(String name, JsonNode value) {}

  private static Field field(JsonNode parent, String prefix, String name) {
    JsonNode v = parent == null ? null : parent.get(name);
    return v == null || v.isNull() ? null : new Field(prefix + name, v);
  }

  private static long firstLong(String source, long fallback, Field... candidates) {
    for (Field f : candidates) {
      if (f != null) {
        if (!f.value().canConvertToLong() || !f.value().isIntegralNumber()) {
          throw new IllegalArgumentException(
              source + ": " + f.name() + " must be an integer, got " + f.value());
        }
        long value = f.value().asLong();
        if (value < 1 || value > LARGEST_PIXELS) {
          throw new IllegalArgumentException(
              source
                  + ": "
                  + f.name()
                  + " is "
                  + value
                  + "; a pixel count from 1 to "
                  + LARGEST_PIXELS
                  + " (8192 x 8192) is expected (transformers' default is "
                  + DEFAULT_MAX_PIXELS
                  + ")");
        }
        return value;
      }
    }
    return fallback;
  }

  private static int intField(JsonNode root, String name, int fallback, String source) {
    JsonNode v = root.get(name);
    if (v == null || v.isNull()) {
      return fallback;
    }
    if (!v.isIntegralNumber() || !v.canConvertToInt()) {
      throw new IllegalArgumentException(source + ": " + name + " must be an integer, got " + v);
    }
    return v.asInt();
  }

  private static double doubleField(JsonNode root, String name, double fallback, String source) {
    JsonNode v = root.get(name);
    if (v == null || v.isNull()) {
      return fallback;
    }
    if (!v.isNumber()) {
      throw new IllegalArgumentException(source + ": " + name + " must be a number, got " + v);
    }
    return v.asDouble();
  }

  private static boolean boolField(JsonNode root, String name, boolean fallback, String source) {
    JsonNode v = root.get(name);
    if (v == null || v.isNull()) {
      return fallback;
    }
    if (!v.isBoolean()) {
      throw new IllegalArgumentException(source + ": " + name + " must be true or false, got " + v);
    }
    return v.asBoolean();
  }

  private static List<Double> doubles(
      JsonNode root, String name, List<Double> fallback, String source) {
    JsonNode v = root.get(name);
    if (v == null || v.isNull()) {
      return fallback;
    }
    if (v.isNumber()) {
      return List.of(v.asDouble(), v.asDouble(), v.asDouble());
    }
    if (!v.isArray()) {
      throw new IllegalArgumentException(
          source + ": " + name + " must be a number or a list of 3 numbers, got " + v);
    }
    List<Double> out = new ArrayList<>();
    for (JsonNode e : v) {
      if (!e.isNumber()) {
        throw new IllegalArgumentException(source + ": " + name + " must hold numbers, got " + v);
      }
      out.add(e.asDouble());
    }
    return out;
  }

  private static void positive(String field, int value) {
    if (value <= 0) {
      throw new IllegalArgumentException(field + " must be > 0, got " + value);
    }
  }
}
